package io.jointly.bench.vole;

import io.jointly.core.Bytes;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroups;
import io.jointly.ot.BaseOt;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
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
 * Base OT (128 Chou–Orlandi OTs over ristretto255, both roles in one thread: what one VOLE PSI run
 * needs) and the IKNP extension of {@code size} correlated OTs (both roles).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class OtBenchmark {
  @Param({"65536", "1048576"})
  public int size;

  private final SecureRandom random = new SecureRandom();
  private IknpSender sender;
  private IknpReceiver receiver;
  private long[] choices;
  private long batch;

  @Setup
  public void setUp() throws Exception {
    sender = new IknpSender(random);
    receiver = new IknpReceiver(random);
    for (int j = 0; j < 128; j++) {
      int bit = sender.baseOtChoice(j, SecretAccess.insecure());
      sender.baseOtResult(j, receiver.baseOtMessage(j, bit, SecretAccess.insecure()));
    }
    choices = new long[(size + 63) / 64];
    for (int i = 0; i < choices.length; i++) {
      choices[i] = random.nextLong();
    }
  }

  /** 128 base OTs, sender and receiver. */
  @Benchmark
  public byte[][] baseOt128() throws Exception {
    boolean[] c = new boolean[128];
    for (int j = 0; j < 128; j++) {
      c[j] = ((choices[0] >>> (j & 63)) & 1) != 0;
    }
    byte[] tag = {1, 2, 3};
    BaseOt.Sender s = new BaseOt.Sender(EcdhGroups.ristretto255(), tag, random);
    BaseOt.Receiver r = new BaseOt.Receiver(EcdhGroups.ristretto255(), tag, c, random);
    byte[] reply = r.respond(s.firstMessage());
    s.keys(reply, 128);
    return r.keys();
  }

  /** {@code size} correlated OTs: the receiver's U and rows, the sender's rows. */
  @Benchmark
  public long[][] iknpExtend() throws Exception {
    batch++;
    IknpReceiver.Extension e = receiver.extend(batch, choices, size);
    Bytes u = e.message();
    return sender.extend(batch, u, size);
  }
}
