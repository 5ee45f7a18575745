package io.jointly.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.MessageChannel;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Secure aggregation against the plain sum, with clients vanishing at random phases: up to the
 * tolerated number of dropouts the secure sum equals the plain sum over the included clients;
 * beyond it every party ends with a typed exception (the server with {@code POLICY_REFUSED}).
 */
class SecureAggregationPropertyTest {
  private static final Duration HARD = Duration.ofSeconds(60);
  private static final SecureAggregationTest.Phase[] PHASES = SecureAggregationTest.Phase.values();

  /** Picks {@code dropouts} clients and a phase for each; returns the faults and fills {@code phaseOf}. */
  private static Map<String, UnaryOperator<MessageChannel>> plan(
      List<String> names, int dropouts, Random rnd, Map<String, SecureAggregationTest.Phase> phaseOf) {
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, rnd);
    Map<String, UnaryOperator<MessageChannel>> faults = new HashMap<>();
    for (String name : shuffled.subList(0, dropouts)) {
      SecureAggregationTest.Phase phase = PHASES[rnd.nextInt(PHASES.length)];
      phaseOf.put(name, phase);
      faults.put(name, SecureAggregationTest.vanishAt(phase.round, 0));
    }
    return faults;
  }

  private static SecureAggregationParameters params(int n, int min, SecureAggregationParameters.Graph graph) {
    return SecureAggregationParameters.forClients(n).toBuilder()
        .graph(graph)
        .minClients(min)
        .phaseTimeout(Duration.ofSeconds(5))
        .clientTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Property(tries = 20)
  void run_upToToleratedDropoutsAtRandomPhases_equalsPlainSum(
      @ForAll @IntRange(min = 3, max = 8) int n,
      @ForAll @IntRange(min = 0, max = 8) int extraMin,
      @ForAll @IntRange(min = 0, max = 8) int dropoutsWanted,
      @ForAll @IntRange(min = 1, max = 40) int length,
      @ForAll long seed)
      throws Exception {
    SecureAggregationParameters.Graph graph = SecureAggregationParameters.Graph.COMPLETE;
    int min = Math.min(n, graph.threshold(n) + extraMin);
    int dropouts = Math.min(dropoutsWanted, n - min);
    Random rnd = new Random(seed);
    List<String> names = AggregationHarness.names(n);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, length, seed);
    Map<String, SecureAggregationTest.Phase> phaseOf = new HashMap<>();
    Map<String, UnaryOperator<MessageChannel>> faults = plan(names, dropouts, rnd, phaseOf);
    SecureAggregationParameters p = params(n, min, graph);

    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);

    assertThat(o.serverFailure()).as("server failure").isNull();
    List<String> expected = new ArrayList<>();
    for (String name : names) {
      SecureAggregationTest.Phase ph = phaseOf.get(name);
      if (ph == null || ph == SecureAggregationTest.Phase.UNMASK) {
        expected.add(name);
      }
    }
    assertThat(o.server().includedClients()).containsExactlyElementsOf(expected);
    assertThat(o.server().encodedSums())
        .containsExactly(AggregationHarness.plainSum(inputs, expected, p.fixedPoint()));
    assertThat(o.clientFailures().keySet()).containsExactlyInAnyOrderElementsOf(phaseOf.keySet());
  }

  @Property(tries = 12)
  void run_moreDropoutsThanTolerated_abortsCleanly(
      @ForAll @IntRange(min = 3, max = 8) int n,
      @ForAll @IntRange(min = 1, max = 8) int excess,
      @ForAll long seed)
      throws Exception {
    SecureAggregationParameters.Graph graph = SecureAggregationParameters.Graph.COMPLETE;
    int min = graph.threshold(n);
    int dropouts = Math.min(n, n - min + excess);
    Random rnd = new Random(seed);
    List<String> names = AggregationHarness.names(n);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 7, seed);
    Map<String, UnaryOperator<MessageChannel>> faults = plan(names, dropouts, rnd, new HashMap<>());
    SecureAggregationParameters p = params(n, min, graph);

    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);

    assertThat(o.server()).isNull();
    assertThat(o.serverFailure())
        .isInstanceOfSatisfying(ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED));
    assertThat(o.clients()).isEmpty();
    assertThat(o.clientFailures()).hasSize(n);
    assertThat(o.clientFailures().values()).allMatch(JointlyException.class::isInstance);
  }

  @Property(tries = 12)
  void run_sparseGraphWithDropouts_equalsPlainSumOrAbortsCleanly(
      @ForAll @IntRange(min = 8, max = 20) int n,
      @ForAll @IntRange(min = 1, max = 2) int halfDegree,
      @ForAll @IntRange(min = 0, max = 3) int dropouts,
      @ForAll long seed)
      throws Exception {
    SecureAggregationParameters.Graph graph = SecureAggregationParameters.Graph.sparse(2 * halfDegree);
    int min = n / 2;
    Random rnd = new Random(seed);
    List<String> names = AggregationHarness.names(n);
    Map<String, double[]> inputs = AggregationHarness.inputs(names, 5, seed);
    Map<String, SecureAggregationTest.Phase> phaseOf = new HashMap<>();
    Map<String, UnaryOperator<MessageChannel>> faults = plan(names, dropouts, rnd, phaseOf);
    SecureAggregationParameters p = params(n, Math.max(min, graph.threshold(n)), graph);

    AggregationHarness.Outcome o = AggregationHarness.run(p, p, inputs, faults, Map.of(), HARD);

    if (o.serverFailure() == null) {
      List<String> included = o.server().includedClients();
      assertThat(o.server().encodedSums())
          .containsExactly(AggregationHarness.plainSum(inputs, included, p.fixedPoint()));
      for (String name : names) {
        SecureAggregationTest.Phase ph = phaseOf.get(name);
        if (ph != null) {
          assertThat(included.contains(name)).as("vanished at %s", ph).isEqualTo(ph == SecureAggregationTest.Phase.UNMASK);
        } else if (!included.contains(name)) {
          // In a sparse graph a live client whose neighbours vanished may keep fewer share holders
          // than the threshold; it must then refuse (its key could not be recovered), not hang.
          assertThat(o.clientFailures().get(name))
              .as("a live client left out of the sum")
              .isInstanceOfSatisfying(ProtocolAbortException.class, e -> {
                assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED);
                assertThat(e.getMessage()).contains("share holders");
              });
        } else {
          assertThat(o.clientFailures()).doesNotContainKey(name);
        }
      }
    } else {
      assertThat(dropouts).as("only dropouts may abort a run").isPositive();
      assertThat(o.serverFailure()).isInstanceOf(ProtocolAbortException.class);
      assertThat(((ProtocolAbortException) o.serverFailure()).reason())
          .isEqualTo(ProtocolAbortException.Reason.POLICY_REFUSED);
      assertThat(o.clientFailures().values()).allMatch(JointlyException.class::isInstance);
    }
  }
}
