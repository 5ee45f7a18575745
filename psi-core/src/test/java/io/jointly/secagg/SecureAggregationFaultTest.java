package io.jointly.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.FaultInjectingChannel;
import io.jointly.channel.FaultInjectingChannel.Fault;
import io.jointly.channel.MessageChannel;
import io.jointly.core.JointlyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secure aggregation through a misbehaving channel, in either direction of one client's link, in
 * every round: every party ends with its result or a typed exception, never a hang; and when the
 * server returns a sum, it is the plain sum over the clients it names as included (a faulty link
 * costs at most that client's inclusion, never a wrong answer).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureAggregationFaultTest {
  private static final Duration HARD = Duration.ofSeconds(60);
  private static final List<String> NAMES = AggregationHarness.names(4);
  private static final Map<String, double[]> INPUTS = AggregationHarness.inputs(NAMES, 6, 42);
  private static final String VICTIM = NAMES.get(1);
  private static final SecureAggregationParameters PARAMS =
      SecureAggregationParameters.forClients(4).toBuilder()
          .minClients(3)
          .phaseTimeout(Duration.ofMillis(800))
          .clientTimeout(Duration.ofSeconds(3))
          .build();

  static Stream<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (Round round : Round.values()) {
      for (Fault fault : Fault.values()) {
        out.add(Arguments.of(round, fault));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("faults")
  void run_faultOnOneClientsLink_typedOutcomesAndNeverAWrongSum(Round round, Fault fault) throws Exception {
    UnaryOperator<MessageChannel> inject =
        ch -> new FaultInjectingChannel(ch, fault, round.wireCode, 0, Duration.ofMillis(1500));
    boolean clientSends = (round.wireCode & 1) == 1;
    AggregationHarness.Outcome o = AggregationHarness.run(
        PARAMS,
        PARAMS,
        INPUTS,
        clientSends ? Map.of(VICTIM, inject) : Map.of(),
        clientSends ? Map.of() : Map.of(VICTIM, inject),
        HARD);

    if (o.serverFailure() != null) {
      assertThat(o.serverFailure()).isInstanceOf(JointlyException.class);
    } else {
      SecureAggregationResult r = o.server();
      assertThat(r.includedClients()).containsAll(NAMES.subList(2, 4)).contains(NAMES.get(0));
      assertThat(r.encodedSums())
          .containsExactly(AggregationHarness.plainSum(INPUTS, r.includedClients(), PARAMS.fixedPoint()));
    }
    assertThat(o.clientFailures().values()).allMatch(JointlyException.class::isInstance);
    for (String healthy : List.of(NAMES.get(0), NAMES.get(2), NAMES.get(3))) {
      if (o.serverFailure() == null) {
        assertThat(o.clients()).as("healthy client " + healthy).containsKey(healthy);
      }
    }
  }
}
