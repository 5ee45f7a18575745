package io.jointly.bench.psi;

import io.jointly.group.SuiteId;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.ecdh.EcdhPsiParameters;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end ECDH PSI, both parties in one JVM over the in-memory channel or loopback mutual-TLS
 * gRPC, {@code size} items per side, half shared. Auxiliary counters report items and bytes (for
 * gRPC, the bytes serialised on the wire) so that items/s and bytes/item can be read off the
 * result. The 2^20 size is run by {@link PsiScale}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class PsiBenchmark {

  @Param({"4096", "65536"})
  public int size;

  @Param({"ristretto255", "x25519", "p256", "sm2"})
  public String suite;

  @Param({"memory", "grpc-tls"})
  public String channel;

  private PsiWorkload workload;
  private ExecutorService bankPool;
  private ExecutorService partnerPool;
  private EcdhPsi bank;
  private EcdhPsi partner;

  /** Counters per operation: items processed (both sides) and bytes exchanged. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Traffic {
    public long items;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      items = 0;
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    int cores = Runtime.getRuntime().availableProcessors();
    workload = PsiWorkload.of(size, size / 2);
    EcdhPsiParameters params =
        EcdhPsiParameters.preset(SuiteId.fromName(suite)).toBuilder()
            .receiveTimeout(Duration.ofMinutes(20))
            .build();
    bankPool = Executors.newFixedThreadPool(cores);
    partnerPool = Executors.newFixedThreadPool(cores);
    bank = new EcdhPsi(PsiRole.BANK, params, bankPool, cores);
    partner = new EcdhPsi(PsiRole.PARTNER, params, partnerPool, cores);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bankPool.shutdownNow();
    partnerPool.shutdownNow();
  }

  @Benchmark
  public PsiResult endToEnd(Traffic traffic) throws Exception {
    PsiRun.Outcome o =
        PsiRun.run(PsiRun.Channel.parse(channel), bank, partner, workload.bank, workload.partner);
    traffic.items += 2L * size;
    traffic.bytes += o.wire() != null ? o.wire().totalBytes() : o.bank().traffic().totalBytes();
    return o.bank();
  }
}
