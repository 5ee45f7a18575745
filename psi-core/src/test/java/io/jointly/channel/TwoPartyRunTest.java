package io.jointly.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwoPartyRunTest {
  private static final RoundKey K = new RoundKey("test", 1, 0);

  @Test
  void run_bothSucceed_returnsBothValues() throws Exception {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    var o =
        TwoPartyRun.run(
            pair,
            ch -> {
              ch.send(K, Bytes.fromHex("01"));
              return ch.receive(K, Duration.ofSeconds(5));
            },
            ch -> {
              ch.send(K, Bytes.fromHex("02"));
              return ch.receive(K, Duration.ofSeconds(5));
            },
            Duration.ofSeconds(10));
    assertThat(o.first().value()).isEqualTo(Bytes.fromHex("02"));
    assertThat(o.second().value()).isEqualTo(Bytes.fromHex("01"));
  }

  @Test
  void runAll_oneReturnsEarly_otherGetsWhatWasSentThenSeesItClosed() {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    long start = System.nanoTime();
    var o =
        TwoPartyRun.runAll(
            pair,
            ch -> {
              ch.send(K, Bytes.fromHex("01"));
              return "done"; // and never sends the second message the other waits for
            },
            ch -> {
              assertThat(ch.receive(K, Duration.ofMinutes(5))).isEqualTo(Bytes.fromHex("01"));
              return ch.receive(K.withSequence(1), Duration.ofMinutes(5));
            },
            Duration.ofMinutes(1));
    assertThat(o.first().value()).isEqualTo("done");
    assertThat(o.second().failure())
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.CLOSED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void run_oneFails_rethrowsItAndUnblocksTheOther() {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                TwoPartyRun.run(
                    pair,
                    ch -> {
                      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "test");
                    },
                    ch -> ch.receive(K, Duration.ofMinutes(5)),
                    Duration.ofMinutes(1)))
        .isInstanceOf(ProtocolAbortException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void runAll_oneFails_otherSeesClosedChannel() {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    var o =
        TwoPartyRun.runAll(
            pair,
            ch -> {
              throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "test");
            },
            ch -> ch.receive(K, Duration.ofMinutes(5)),
            Duration.ofMinutes(1));
    assertThat(o.first().failure()).isInstanceOf(ProtocolAbortException.class);
    assertThat(o.second().failure())
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.CLOSED));
  }

  @Test
  void run_partiesHang_hardTimeoutEndsTheRun() {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    assertThatThrownBy(
            () ->
                TwoPartyRun.run(
                    pair,
                    ch -> ch.receive(K, Duration.ofMinutes(5)),
                    ch -> ch.receive(K, Duration.ofMinutes(5)),
                    Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT));
  }
}
