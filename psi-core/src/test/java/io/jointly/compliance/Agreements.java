package io.jointly.compliance;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TwoPartyRun;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Two parties running the agreement around a small protocol, in one JVM. */
final class Agreements {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Purpose PURPOSE =
      new Purpose("cc-2026q4", "Credit-card cross-sell campaign, Q4 2026", LegalBasis.CONSENT);

  private Agreements() {}

  /** A receipt store that also meters, as an audit log does. */
  static final class Trail implements AuditTrail, UsageMeter {
    final String self;
    final List<Receipt> receipts = Collections.synchronizedList(new ArrayList<>());
    final List<Optional<PolicyReference>> policies = Collections.synchronizedList(new ArrayList<>());

    Trail(String self) {
      this.self = self;
    }

    @Override
    public void record(Receipt receipt, Optional<PolicyReference> policy) {
      receipts.add(receipt);
      policies.add(policy);
    }

    @Override
    public Usage usage(String peer, java.time.Instant since) {
      synchronized (receipts) {
        return Usage.of(List.copyOf(receipts), self, peer, since);
      }
    }

    Receipt only() {
      if (receipts.size() != 1) {
        throw new AssertionError("expected one receipt, got " + receipts.size());
      }
      return receipts.get(0);
    }
  }

  /** One party's set-up. */
  static final class Party {
    final String name;
    final String role;
    final Trail trail;
    RunAgreement.Builder builder;
    RunTerms terms;

    Party(String name, String role, TestPki pki, SigningIdentity identity) {
      this.name = name;
      this.role = role;
      this.trail = new Trail(name);
      this.builder =
          RunAgreement.builder("jointly test")
              .identity(identity)
              .trustRoots(pki.roots())
              .trail(trail)
              .meter(trail)
              .timeout(TIMEOUT);
      this.terms = terms(Optional.of(PURPOSE)).inputRows(1000).build();
    }
  }

  static RunTerms.Builder terms(Optional<Purpose> purpose) {
    return RunTerms.builder("psi", "ecdh-psi")
        .purpose(purpose)
        .reveal("bank")
        .parameter("suite", "ristretto255")
        .minPeerSetSize(100)
        .inputRows(1000);
  }

  /** A small protocol: each side sends {@code n} messages and reads the peer's; returns how many it read. */
  static int echo(MessageChannel ch, int n) throws JointlyException {
    for (int i = 0; i < n; i++) {
      ch.send(new RoundKey("echo", 1, i), Bytes.wrap(new byte[] {(byte) i, 7, 7}));
    }
    int read = 0;
    for (int i = 0; i < n; i++) {
      ch.receive(new RoundKey("echo", 1, i), TIMEOUT);
      read++;
    }
    return read;
  }

  static Learned learned(int n) {
    return Learned.of("how many echoes came back", Map.of("echoes", (long) n));
  }

  /** What a party ended with. */
  record End(AgreedRun.Completed<Integer> completed, Throwable failure, AtomicInteger protocolMessages) {}

  /**
   * Runs both parties over an in-memory pair (channels decorated by {@code decorate}, per party
   * name), the protocol being {@link #echo} of 3 messages unless {@code body} replaces it.
   */
  static TwoPartyRun.Outcomes<AgreedRun.Completed<Integer>, AgreedRun.Completed<Integer>> run(
      Party a, Party b, UnaryOperator<MessageChannel> decorateA, Body bodyA, Body bodyB) {
    ChannelPair pair = InMemoryChannel.pair("s-1", a.name, b.name);
    ChannelPair decorated = new ChannelPair(decorateA.apply(pair.first()), pair.second());
    return TwoPartyRun.runAll(
        decorated,
        ch -> side(a, ch, bodyA),
        ch -> side(b, ch, bodyB),
        Duration.ofSeconds(30));
  }

  static TwoPartyRun.Outcomes<AgreedRun.Completed<Integer>, AgreedRun.Completed<Integer>> run(Party a, Party b) {
    return run(a, b, UnaryOperator.identity(), ch -> echo(ch, 3), ch -> echo(ch, 3));
  }

  @FunctionalInterface
  interface Body {
    int run(MessageChannel ch) throws Exception;
  }

  private static AgreedRun.Completed<Integer> side(Party p, MessageChannel ch, Body body) throws Exception {
    AgreedRun run = p.builder.build().open(ch, p.role, p.terms, List.of());
    return run.<Integer, Exception>run(body::run, Agreements::learned);
  }
}
