package io.jointly.bench.group;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PSI hot path per suite, single-threaded: hash-to-group, the first pass {@code k·H(x)} and the
 * second pass {@code k·P} (decode with full validation, multiply, encode).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GroupBenchmark {

  @Param({"ristretto255", "x25519", "p256", "sm2"})
  public String suite;

  private EcdhGroup group;
  private GroupScalar k;
  private byte[] item;
  private byte[] element;
  private int counter;

  @Setup
  public void setUp() {
    group = EcdhGroups.create(SuiteId.fromName(suite));
    k = group.randomScalar(new SecureRandom());
    item = "13800138000".getBytes(StandardCharsets.UTF_8);
    element = group.hashToGroup(item);
  }

  @Benchmark
  public byte[] hashToGroup() {
    item[item.length - 1] = (byte) ('0' + (counter++ & 7));
    return group.hashToGroup(item);
  }

  @Benchmark
  public byte[] hashAndMultiply() {
    return group.hashAndMultiply(k, item);
  }

  @Benchmark
  public byte[] multiply() throws ProtocolAbortException {
    return group.multiply(k, element);
  }
}
