package io.jointly.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.core.ChannelException;
import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Secure aggregation end to end over in-memory channels: sums, dropouts at each phase, aborts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureAggregationTest {
  private static final Duration HARD = Duration.ofSeconds(60);

  /** The client-to-server rounds a client can vanish before. */
  enum Phase {
    HELLO(Round.HELLO),
    ADVERTISE_KEYS(Round.ADVERTISE_KEYS),
    SHARE_KEYS(Round.SHARE_KEYS),
    MASKED_INPUT(Round.MASKED_INPUT),
    UNMASK(Round.UNMASK);

    final Round round;

    Phase(Round round) {
      this.round = round;
    }
  }

  static SecureAggregationParameters params(int n, int min) {
    return SecureAggregationParameters.forClients(n).toBuilder()
        .minClients(min)
        .phaseTimeout(Duration.ofSeconds(5))
        .clientTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The client's channel closes instead of sending its {@code index}-th message of the round. */
  static UnaryOperator<MessageChannel> vanishAt(Round round, int index) {
    return ch -> new FaultInjectingChannel(ch, Fault.CLOSE, round.wireCode, index, Duration.ZERO);
  }

  static void assertSum(AggregationHarness.Outcome o, Map<String, double[]> inputs, FixedPoint fp) {
    assertThat(o.serverFailure()).as("server failure").isNull();
    SecureAggregationResult r = o.server();
    assertThat(r.encodedSums())
        .containsExactly(AggregationHarness.plainSum(inputs, r.includedClients(), fp));
  }

  @Test
  void run_noDropouts_sumEqualsPlainSumAndClientsLearnIncluded() throws Exception {
    List<String> names = AggregationHarness.names(5);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 37, 1);
    SecureAggregationParameters p = params(5, 3);
    AggregationHarness.Outcome o = AggregationHarness.run(p, inputs, HARD);
    assertSum(o, inputs, p.fixedPoint());
    SecureAggregationResult r = o.server();
    assertThat(r.includedClients()).containsExactlyElementsOf(names);
    assertThat(r.droppedClients()).isEmpty();
    assertThat(r.layout()).isEqualTo(AggregationHarness.LAYOUT);
    assertThat(r.threshold()).isEqualTo(3);
    assertThat(r.degree()).isEqualTo(4);
    for (int i = 0; i < 37; i++) {
      double plain = 0;
      for (double[] v : inputs.values()) {
        plain += v[i];
      }
      assertThat(r.sum(i)).isCloseTo(plain, org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(o.clientFailures()).isEmpty();
    for (SecureAggregationResult c : o.clients().values()) {
      assertThat(c.hasSum()).isFalse();
      assertThat(c.includedClients()).containsExactlyElementsOf(names);
    }
  }

  @ParameterizedTest
  @EnumSource(Phase.class)
  void run_toleratedDropoutsAtPhase_sumOverSurvivors(Phase phase) throws Exception {
    List<String> names = AggregationHarness.names(7);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 19, phase.ordinal());
    SecureAggregationParameters p = params(7, 4); // threshold 4: up to 3 may drop
    Map<String, UnaryOperator<MessageChannel>> faults = new HashMap<>();
    List<String> vanishing = List.of(names.get(1), names.get(4), names.get(6));
    vanishing.forEach(n -> faults.put(n, vanishAt(phase.round, 0)));
    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);
    assertSum(o, inputs, p.fixedPoint());
    List<String> expectedIncluded = new ArrayList<>(names);
    if (phase != Phase.UNMASK) { // a client that vanishes after its masked input is still in the sum
      expectedIncluded.removeAll(vanishing);
    }
    assertThat(o.server().includedClients()).containsExactlyElementsOf(expectedIncluded);
    assertThat(o.clientFailures().keySet()).containsExactlyInAnyOrderElementsOf(vanishing);
    assertThat(o.clientFailures().values()).allMatch(ChannelException.class::isInstance);
  }

  @ParameterizedTest
  @EnumSource(Phase.class)
  void run_tooManyDropoutsAtPhase_abortsCleanlyEverywhere(Phase phase) throws Exception {
    List<String> names = AggregationHarness.names(6);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 5, 7);
    SecureAggregationParameters p = params(6, 4);
    Map<String, UnaryOperator<MessageChannel>> faults = new HashMap<>();
    for (String n : names.subList(0, 3)) {
      faults.put(n, vanishAt(phase.round, 0));
    }
    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);
    assertThat(o.server()).isNull();
    assertThat(o.serverFailure())
        .isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
    assertThat(o.clients()).isEmpty();
    for (String survivor : names.subList(3, 6)) {
      assertThat(o.clientFailures().get(survivor))
          .isInstanceOfSatisfying(ProtocolAbortException.class,
              e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.PEER_ABORTED));
    }
  }

  @Test
  void run_clientVanishesHalfwayThroughItsMaskedInput_leavesNoTraceInSum() throws Exception {
    List<String> names = AggregationHarness.names(4);
    int length = 2 * Masking.BATCH_WORDS + 11; // three batches
    Map<String, double[]> inputs = AggregationHarness.inputs(names, length, 3);
    SecureAggregationParameters p = params(4, 3);
    AggregationHarness.Outcome o = AggregationHarness.run(
        p, p, inputs, Map.of(names.get(2), vanishAt(Round.MASKED_INPUT, 1)), Map.of(), HARD);
    assertSum(o, inputs, p.fixedPoint());
    assertThat(o.server().includedClients()).doesNotContain(names.get(2));
    assertThat(o.server().droppedClients()).containsExactly(names.get(2));
  }

  @Test
  void run_sparseGraph_sumEqualsPlainSumWithDropouts() throws Exception {
    List<String> names = AggregationHarness.names(24);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 9, 11);
    SecureAggregationParameters p = SecureAggregationParameters.forClients(24).toBuilder()
        .graph(SecureAggregationParameters.Graph.sparse(6))
        .minClients(12)
        .phaseTimeout(Duration.ofSeconds(5))
        .build();
    Map<String, UnaryOperator<MessageChannel>> faults = Map.of(
        names.get(3), vanishAt(Round.SHARE_KEYS, 0),
        names.get(17), vanishAt(Round.MASKED_INPUT, 0));
    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);
    assertSum(o, inputs, p.fixedPoint());
    assertThat(o.server().degree()).isEqualTo(6);
    assertThat(o.server().threshold()).isEqualTo(4);
    assertThat(o.server().droppedClients()).containsExactly(names.get(3), names.get(17));
  }

  @Test
  void run_layoutsDiffer_abortsWithHandshakeMismatch() throws Exception {
    List<String> names = AggregationHarness.names(4);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 3, 5);
    Map<String, double[]> longer = new HashMap<>(inputs);
    longer.put(names.get(0), new double[4]);
    SecureAggregationParameters p = params(4, 3);
    AggregationHarness.Outcome o = AggregationHarness.run(p, p, new java.util.TreeMap<>(longer), Map.of(), Map.of(), HARD);
    assertThat(o.serverFailure())
        .isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH));
    assertThat(o.clientFailures().values())
        .hasSize(4)
        .allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.PEER_ABORTED)));
  }

  @Test
  void run_clientParametersDiffer_abortsWithHandshakeMismatch() throws Exception {
    List<String> names = AggregationHarness.names(4);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 3, 5);
    SecureAggregationParameters server = params(4, 3);
    SecureAggregationParameters client = server.toBuilder().maxAbs(1e6).build();
    AggregationHarness.Outcome o = AggregationHarness.run(server, client, inputs, Map.of(), Map.of(), HARD);
    assertThat(o.serverFailure())
        .isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.HANDSHAKE_MISMATCH));
  }

  @Test
  void run_valueAboveDeclaredBound_clientFailsBeforeSendingAndIsDropped() throws Exception {
    List<String> names = AggregationHarness.names(5);
    Map<String, double[]> inputs = new java.util.TreeMap<>(AggregationHarness.inputs(names, 4, 9));
    SecureAggregationParameters p = params(5, 3).toBuilder().maxAbs(1000).build();
    inputs.get(names.get(0))[2] = 1000.5;
    AggregationHarness.Outcome o = AggregationHarness.run(p, inputs, HARD);
    assertThat(o.clientFailures().get(names.get(0)))
        .isInstanceOfSatisfying(InputException.class, e -> {
          assertThat(e.row()).isEqualTo(3);
          assertThat(e.getMessage()).doesNotContain("1000.5");
        });
    assertSum(o, inputs, p.fixedPoint());
    assertThat(o.server().droppedClients()).containsExactly(names.get(0));
  }

  @Test
  void parameters_overflowingBound_rejected() {
    assertThatThrownBy(() -> SecureAggregationParameters.forClients(50).toBuilder().maxAbs(1e11).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflow");
  }

  @Test
  void server_minimumBelowThreshold_rejected() {
    SecureAggregationParameters p = SecureAggregationParameters.forClients(10).toBuilder().minClients(5).build();
    assertThatThrownBy(() -> new SecureAggregationServer(p, Runnable::run, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold 6");
    assertThat(SecureAggregationParameters.forClients(10).minClients()).isEqualTo(6);
  }

  @Test
  void run_clientAcceptsTheServersCountsWithinItsLimits() throws Exception {
    List<String> names = AggregationHarness.names(4);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 3, 5);
    SecureAggregationParameters server = params(4, 3);
    SecureAggregationParameters client = server.toBuilder().expectedClients(100).minClients(2).build();
    AggregationHarness.Outcome o = AggregationHarness.run(server, client, inputs, Map.of(), Map.of(), HARD);
    assertSum(o, inputs, server.fixedPoint());
  }

  @Test
  void run_serverMinimumBelowAClientsFloor_refused() throws Exception {
    List<String> names = AggregationHarness.names(4);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 3, 5);
    SecureAggregationParameters server = params(4, 3);
    SecureAggregationParameters client = server.toBuilder().minClients(4).build();
    AggregationHarness.Outcome o = AggregationHarness.run(server, client, inputs, Map.of(), Map.of(), HARD);
    assertThat(o.serverFailure())
        .isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
  }

  @Test
  void graph_degreesAndThresholds_followTheDocumentedRules() {
    var auto = SecureAggregationParameters.Graph.AUTO;
    assertThat(auto.degreeFor(50)).isEqualTo(49);
    assertThat(auto.threshold(50)).isEqualTo(26);
    assertThat(auto.degreeFor(200)).isEqualTo(16);
    assertThat(auto.threshold(200)).isEqualTo(9);
    assertThat(SecureAggregationParameters.Graph.sparse(0).degreeFor(50)).isEqualTo(12);
    assertThat(SecureAggregationParameters.Graph.sparse(8).degreeFor(5)).isEqualTo(4);
    assertThatThrownBy(() -> SecureAggregationParameters.Graph.sparse(3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void client_emptyVector_rejectedAsProgrammerError() {
    SecureAggregationClient c = new SecureAggregationClient(params(4, 3));
    assertThatThrownBy(() -> c.run(new double[0], AggregationHarness.LAYOUT, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
