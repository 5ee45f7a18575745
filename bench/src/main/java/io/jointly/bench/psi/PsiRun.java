package io.jointly.bench.psi;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.ChannelStats;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.TwoPartyRun;
import io.jointly.psi.ecdh.EcdhPsi;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiResult;
import io.jointly.transport.LoopbackTransport;
import io.jointly.transport.TransportOptions;
import java.time.Duration;
import java.util.List;

/** One end-to-end PSI between two parties in this JVM, over the chosen channel. */
final class PsiRun {
  private PsiRun() {}

  /** The channels a benchmark can choose. */
  enum Channel {
    /** {@link InMemoryChannel}; bytes counted by the protocol's counting decorator. */
    MEMORY,
    /** gRPC over loopback TCP with mutual TLS 1.3; bytes also counted on the wire. */
    GRPC_TLS;

    static Channel parse(String s) {
      return switch (s) {
        case "memory" -> MEMORY;
        case "grpc-tls" -> GRPC_TLS;
        default -> throw new IllegalArgumentException("channel must be memory or grpc-tls");
      };
    }
  }

  /**
   * @param bank the bank's result
   * @param wire for gRPC, the bank's bytes as serialised on the wire (both directions); else null
   */
  record Outcome(PsiResult bank, ChannelStats wire) {}

  static Outcome run(
      Channel channel, EcdhPsi bank, EcdhPsi partner, List<String> bankIds, List<String> partnerIds)
      throws Exception {
    Duration limit = Duration.ofHours(2);
    if (channel == Channel.MEMORY) {
      ChannelPair pair = InMemoryChannel.pair("bench", "bank", "partner");
      var o =
          TwoPartyRun.run(
              pair,
              ch -> bank.run(PsiInput.ofColumn(bankIds), ch),
              ch -> partner.run(PsiInput.ofColumn(partnerIds), ch),
              limit);
      return new Outcome(o.first().value(), null);
    }
    try (LoopbackTransport loop =
        LoopbackTransport.mutualTls("bench", "bank", "partner", TransportOptions.DEFAULTS)) {
      var o =
          TwoPartyRun.run(
              loop.pair(),
              ch -> bank.run(PsiInput.ofColumn(bankIds), ch),
              ch -> partner.run(PsiInput.ofColumn(partnerIds), ch),
              limit);
      return new Outcome(o.first().value(), loop.listening().wireStats());
    }
  }
}
