package io.jointly.psi.ic;

import io.jointly.channel.ChannelStats;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.PsiInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs rank 0 and rank 1 of interconnection ECDH-PSI in one JVM over {@link InMemoryIcLink}s (each
 * optionally wrapped, for fault injection or recording), with a hard time-out; the first failure
 * closes the link so the other party stops at once. Tests only.
 */
final class IcRunner {
  private IcRunner() {}

  static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "ic-test-crypto");
            t.setDaemon(true);
            return t;
          });

  /** One party's outcome. */
  record Outcome(IcPsiResult result, Throwable failure) {
    IcPsiResult value() {
      if (failure != null) {
        throw new AssertionError("party failed", failure);
      }
      return result;
    }
  }

  record Outcomes(Outcome rank0, Outcome rank1) {}

  static Outcomes run(
      IcParameters p0, List<String> items0, IcParameters p1, List<String> items1) {
    return run(p0, items0, UnaryOperator.identity(), p1, items1, UnaryOperator.identity());
  }

  static Outcomes run(
      IcParameters p0,
      List<String> items0,
      UnaryOperator<IcLink> wrap0,
      IcParameters p1,
      List<String> items1,
      UnaryOperator<IcLink> wrap1) {
    InMemoryIcLink[] links = InMemoryIcLink.pair();
    IcLink l0 = wrap0.apply(links[0]);
    IcLink l1 = wrap1.apply(links[1]);
    ExecutorService parties = Executors.newFixedThreadPool(2);
    try {
      Future<IcPsiResult> f0 = parties.submit(() -> party(p0, items0, l0, links[0]));
      Future<IcPsiResult> f1 = parties.submit(() -> party(p1, items1, l1, links[0]));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      return new Outcomes(await(f0, deadline, links[0]), await(f1, deadline, links[0]));
    } finally {
      parties.shutdownNow();
    }
  }

  private static IcPsiResult party(IcParameters p, List<String> items, IcLink link, InMemoryIcLink closer)
      throws Exception {
    try {
      InterconnectionPsi psi = new InterconnectionPsi(p, POOL, 2);
      return psi.run(psi.prepare(PsiInput.ofColumn(items)), link);
    } catch (Exception | Error e) {
      closer.close();
      throw e;
    }
  }

  private static Outcome await(Future<IcPsiResult> f, long deadline, InMemoryIcLink closer) {
    try {
      return new Outcome(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome(null, e.getCause());
    } catch (TimeoutException e) {
      closer.close();
      f.cancel(true);
      throw new AssertionError("the run hung past its hard time-out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A link that hands every outgoing batch to a fault and records what it really sent. */
  static class FaultyLink implements IcLink {
    final IcLink inner;
    final List<CipherBatch> sentFirst = Collections.synchronizedList(new ArrayList<>());
    final List<CipherBatch> sentSecond = Collections.synchronizedList(new ArrayList<>());

    FaultyLink(IcLink inner) {
      this.inner = inner;
    }

    /** The batches to send instead of {@code b} (default: {@code b} itself). */
    List<CipherBatch> fault(IcStage stage, CipherBatch b) {
      return List.of(b);
    }

    @Override
    public void send(IcStage stage, CipherBatch batch) throws ChannelException, ProtocolAbortException {
      for (CipherBatch b : fault(stage, batch)) {
        (stage == IcStage.FIRST ? sentFirst : sentSecond).add(b);
        inner.send(stage, b);
      }
    }

    @Override
    public void sendRequest(IcHandshake.Request request) throws ChannelException, ProtocolAbortException {
      inner.sendRequest(request);
    }

    @Override
    public IcHandshake.Response receiveResponse(Duration timeout)
        throws ChannelException, ProtocolAbortException {
      return inner.receiveResponse(timeout);
    }

    @Override
    public IcHandshake.Request receiveRequest(Duration timeout)
        throws ChannelException, ProtocolAbortException {
      return inner.receiveRequest(timeout);
    }

    @Override
    public void sendResponse(IcHandshake.Response response) throws ChannelException, ProtocolAbortException {
      inner.sendResponse(response);
    }

    @Override
    public CipherBatch receive(IcStage stage, Duration timeout)
        throws ChannelException, ProtocolAbortException {
      return inner.receive(stage, timeout);
    }

    @Override
    public ChannelStats stats() {
      return inner.stats();
    }
  }

  /** A copy of {@code b} with other fields. */
  static CipherBatch with(CipherBatch b, int index, boolean last, int count, io.jointly.core.Bytes ct) {
    return new CipherBatch(b.type(), index, last, count, ct, Map.of());
  }
}
