package io.jointly.bench.paillier;

import io.jointly.paillier.PaillierKeyPair;
import io.jointly.paillier.PaillierParameters;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key generation, Jointly's (with its checks and the CRT precomputations) beside {@link
 * TextbookPaillier#generate}. Prime search time varies a lot from key to key: use several
 * iterations before quoting a figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PaillierKeygenBenchmark {

  @Param({"2048"})
  public int modulusBits;

  private final SecureRandom random = new SecureRandom();

  @Benchmark
  public PaillierKeyPair keygen() {
    return PaillierKeyPair.generate(
        new PaillierParameters(modulusBits, PaillierParameters.Randomness.FULL), random);
  }

  @Benchmark
  public TextbookPaillier keygenTextbook() {
    return TextbookPaillier.generate(modulusBits, random);
  }
}
