package io.jointly.transport.ic;

import io.jointly.psi.PsiInput;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.TransportSecurity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs Jointly interconnection parties over the real transport on loopback. Tests only. */
final class IcParties {
  private IcParties() {}

  static final ExecutorService CRYPTO = Executors.newFixedThreadPool(2, ReferencePeer.daemon("ic-crypto"));

  /** Fast-failing options for tests: short connect phase, FIN wait and retry pauses. */
  static final IcTransportOptions FAST =
      IcTransportOptions.DEFAULTS
          .withConnectTimeout(Duration.ofSeconds(20))
          .withFinTimeout(Duration.ofSeconds(20))
          .withRetryDelay(Duration.ofMillis(20));

  static IcParameters params(int rank, int rtr) {
    return IcParameters.defaults(rank).toBuilder()
        .resultToRank(rtr)
        .minPeerSetSize(0)
        .receiveTimeout(Duration.ofSeconds(30))
        .build();
  }

  static IcTransport.Listener listen(int rank, IcTransportOptions options) throws Exception {
    return IcTransport.listen(
        rank, Endpoint.loopback(0), TransportSecurity.insecurePlaintext("rank" + rank), "rank" + (1 - rank), options);
  }

  /** One Jointly party: connect to the peer's port, run, finish. */
  static IcPsiResult run(IcTransport.Listener l, int peerPort, IcParameters p, List<String> rows) throws Exception {
    try (IcSession s = l.connect(Endpoint.loopback(peerPort))) {
      InterconnectionPsi psi = new InterconnectionPsi(p, CRYPTO, 2);
      return s.run(psi, psi.prepare(PsiInput.ofColumn(rows)));
    } finally {
      l.close();
    }
  }
}
