package io.jointly.bench.psi;

import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.vole.VolePsi;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * End-to-end VOLE PSI, both parties in one JVM over the in-memory channel, {@code size} identifiers
 * per side, half shared, bank reveal, default parameters. Inputs are prepared (normalised and
 * de-duplicated) in the setup; the time is the protocol's. The two-process run over mutual TLS is
 * {@link VolePsiScale}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class VolePsiBenchmark {
  @Param({"65536", "1048576"})
  public int size;

  private ExecutorService bankPool;
  private ExecutorService partnerPool;
  private VolePsi bank;
  private VolePsi partner;
  private PsiWorkload workload;
  private PreparedInput bankInput;
  private PreparedInput partnerInput;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    bankPool = Executors.newFixedThreadPool(cores);
    partnerPool = Executors.newFixedThreadPool(cores);
    bank = new VolePsi(PsiRole.BANK, VolePsiScale.voleParams(RevealMode.BANK), bankPool, cores);
    partner = new VolePsi(PsiRole.PARTNER, VolePsiScale.voleParams(RevealMode.BANK), partnerPool, cores);
    workload = PsiWorkload.of(size, size / 2);
  }

  /** A prepared input serves one run (the run deletes it): prepare both before each, untimed. */
  @Setup(Level.Invocation)
  public void prepare() throws Exception {
    bankInput = bank.prepare(PsiInput.ofColumn(workload.bank));
    partnerInput = partner.prepare(PsiInput.ofColumn(workload.partner));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bankPool.shutdownNow();
    partnerPool.shutdownNow();
  }

  @Benchmark
  public PsiResult run() throws Exception {
    var o =
        TwoPartyRun.run(
            InMemoryChannel.pair("bench", "bank", "partner"),
            ch -> bank.run(bankInput, ch),
            ch -> partner.run(partnerInput, ch),
            Duration.ofMinutes(10));
    PsiResult r = o.first().value();
    if (r.intersectionSize().orElse(-1) != size / 2) {
      throw new IllegalStateException("wrong intersection");
    }
    return r;
  }
}
