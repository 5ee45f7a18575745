package io.jointly.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link MessageChannel} contract. Every channel implementation (in-memory, gRPC in-process,
 * gRPC over loopback TLS) extends this test with its own way of making a connected pair.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class MessageChannelContractTest {
  protected static final Duration SHORT = Duration.ofMillis(300);
  protected static final Duration LONG = Duration.ofSeconds(20);
  private static final RoundKey A = new RoundKey("contract", 1, 0);
  private static final RoundKey B = new RoundKey("contract", 2, 0);

  private ChannelPair pair;
  private ExecutorService executor;

  /** A fresh connected pair between parties "bank" and "partner" in session "s1". */
  protected abstract ChannelPair newPair() throws Exception;

  /** The largest payload the pair accepts. */
  protected abstract int maxMessageBytes();

  @BeforeEach
  void open() throws Exception {
    pair = newPair();
    executor = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void shut() {
    pair.closeBoth();
    executor.shutdownNow();
  }

  @Test
  void identity_namesAndSession_matchAcrossEnds() {
    assertThat(pair.first().self()).isEqualTo(pair.second().peer());
    assertThat(pair.first().peer()).isEqualTo(pair.second().self());
    assertThat(pair.first().sessionId()).isEqualTo(pair.second().sessionId());
  }

  @Test
  void receive_messageSent_returnsSamePayload() throws Exception {
    pair.first().send(A, Bytes.fromHex("00ff10"));
    assertThat(pair.second().receive(A, LONG)).isEqualTo(Bytes.fromHex("00ff10"));
  }

  @Test
  void receive_emptyPayload_isDelivered() throws Exception {
    pair.first().send(A, Bytes.EMPTY);
    assertThat(pair.second().receive(A, LONG).length()).isZero();
  }

  @Test
  void receive_keysArriveOutOfOrder_eachWaitsForItsOwnKey() throws Exception {
    pair.first().send(B, Bytes.fromHex("02"));
    pair.first().send(A, Bytes.fromHex("01"));
    assertThat(pair.second().receive(A, LONG)).isEqualTo(Bytes.fromHex("01"));
    assertThat(pair.second().receive(B, LONG)).isEqualTo(Bytes.fromHex("02"));
  }

  @Test
  void receive_bothDirectionsAtOnce_deliverIndependently() throws Exception {
    CompletableFuture<Bytes> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                pair.second().send(A, Bytes.fromHex("bb"));
                return pair.second().receive(A, LONG);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            executor);
    pair.first().send(A, Bytes.fromHex("aa"));
    assertThat(pair.first().receive(A, LONG)).isEqualTo(Bytes.fromHex("bb"));
    assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(Bytes.fromHex("aa"));
  }

  @Test
  void receive_nothingSent_timesOut() {
    assertThatThrownBy(() -> pair.second().receive(A, SHORT))
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT));
  }

  @Test
  void receive_duplicateKey_abortsAsReplay() throws Exception {
    pair.first().send(A, Bytes.fromHex("01"));
    pair.first().send(A, Bytes.fromHex("01"));
    assertThatThrownBy(() -> {
          pair.second().receive(A, LONG);
          pair.second().receive(B, SHORT);
        })
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.REPLAYED_MESSAGE));
  }

  @Test
  void receive_keyReplayedAfterConsumption_abortsAsReplay() throws Exception {
    pair.first().send(A, Bytes.fromHex("01"));
    assertThat(pair.second().receive(A, LONG)).isEqualTo(Bytes.fromHex("01"));
    pair.first().send(A, Bytes.fromHex("01"));
    assertThatThrownBy(() -> pair.second().receive(B, LONG))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.REPLAYED_MESSAGE));
  }

  @Test
  void receive_oversizedPayload_abortsAsMalformed() throws Exception {
    try {
      pair.first().send(A, Bytes.wrap(new byte[maxMessageBytes() + 1]));
    } catch (ChannelException e) {
      return; // refusing at the sender is also within the contract
    }
    assertThatThrownBy(() -> pair.second().receive(A, LONG))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.MALFORMED_MESSAGE));
  }

  @Test
  void receive_peerClosedWhileWaiting_failsPromptlyAsClosed() {
    CompletableFuture.runAsync(
        () -> {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          pair.first().close();
        },
        executor);
    long start = System.nanoTime();
    assertThatThrownBy(() -> pair.second().receive(A, LONG))
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.CLOSED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG);
  }

  @Test
  void receive_messageSentBeforeClose_isStillDelivered() throws Exception {
    pair.first().send(A, Bytes.fromHex("01"));
    pair.first().close();
    assertThat(pair.second().receive(A, LONG)).isEqualTo(Bytes.fromHex("01"));
  }

  @Test
  void send_afterClose_failsAsClosed() {
    pair.first().close();
    assertThatThrownBy(() -> pair.first().send(A, Bytes.fromHex("01")))
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.CLOSED));
  }

  @Test
  void close_calledTwice_isHarmless() {
    pair.first().close();
    pair.first().close();
  }

  @Test
  void send_manyMessagesWithSlowReceiver_allArriveInBoundedMemory() throws Exception {
    int n = 200;
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < n; i++) {
                  pair.first().send(A.withSequence(i), Bytes.wrap(new byte[] {(byte) i}));
                }
              } catch (ChannelException e) {
                throw new IllegalStateException(e);
              }
            },
            executor);
    for (int i = 0; i < n; i++) {
      assertThat(pair.second().receive(A.withSequence(i), LONG).get(0)).isEqualTo((byte) i);
    }
    sender.get(20, TimeUnit.SECONDS);
  }
}
