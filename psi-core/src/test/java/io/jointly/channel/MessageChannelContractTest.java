package io.jointly.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Liveness: {@link #SHORT} is the time-out the tests give {@code receive}; a pair must keep a
 * busy peer alive across several times it (the gRPC pairs are configured to ask for signs of life
 * well within it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class MessageChannelContractTest {
  /** The receive time-out of the liveness cases (public: transports configure their peers by it). */
  public static final Duration SHORT = Duration.ofMillis(300);
  protected static final Duration LONG = Duration.ofSeconds(20);
  private static final RoundKey A = new RoundKey("contract", 1, 0);
  private static final RoundKey B = new RoundKey("contract", 2, 0);

  private ChannelPair pair;
  private ExecutorService executor;

  /** A fresh connected pair between parties "bank" and "partner" in session "s1". */
  protected abstract ChannelPair newPair() throws Exception;

  /** The largest payload the pair accepts. */
  protected abstract int maxMessageBytes();

  /** How many messages may wait unreceived at a receiver before the channel stops taking more. */
  protected abstract int inboundCapacity();

  /**
   * Makes the first end's party fall silent without closing anything (a frozen process, a network
   * that drops everything), if the pair can; returns {@code false} if it cannot (in one JVM a party
   * cannot fall silent without its end being closed).
   */
  protected boolean silenceFirst() throws Exception {
    return false;
  }

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
  void receive_bothPartiesWaitForEachOther_bothEnd() throws Exception {
    // Each party, as protocols do, closes its end once its receive has failed.
    long start = System.nanoTime();
    CompletableFuture<Throwable> first =
        CompletableFuture.supplyAsync(
            () -> {
              Throwable t = failureOf(() -> pair.first().receive(B, SHORT));
              pair.first().close();
              return t;
            },
            executor);
    Throwable second = failureOf(() -> pair.second().receive(A, SHORT));
    pair.second().close();
    Throwable firstFailure = first.get(20, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    List<ChannelException.Kind> kinds = new ArrayList<>();
    for (Throwable t : List.of(firstFailure, second)) {
      assertThat(t).isInstanceOf(ChannelException.class);
      kinds.add(((ChannelException) t).kind());
    }
    assertThat(kinds)
        .as("the first to give up timed out; the other timed out too or saw it close")
        .contains(ChannelException.Kind.TIMEOUT)
        .allMatch(k -> k == ChannelException.Kind.TIMEOUT || k == ChannelException.Kind.CLOSED);
  }

  @Test
  void receive_peerBusyForSeveralTimeouts_isWaitedFor() throws Exception {
    CompletableFuture<Void> busy =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(4 * SHORT.toMillis()); // a local step: computing, not touching the channel
                pair.first().send(A, Bytes.fromHex("0b"));
              } catch (InterruptedException | ChannelException e) {
                throw new IllegalStateException(e);
              }
            },
            executor);
    assertThat(pair.second().receive(A, SHORT)).isEqualTo(Bytes.fromHex("0b"));
    busy.get(20, TimeUnit.SECONDS);
  }

  @Test
  void receive_peerSilentWithConnectionOpen_timesOutWithinAboutTheTimeout() throws Exception {
    assumeTrue(silenceFirst(), "this pair cannot make a party fall silent without closing its end");
    long start = System.nanoTime();
    assertThatThrownBy(() -> pair.second().receive(A, SHORT))
        .isInstanceOfSatisfying(
            ChannelException.class, e -> assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(SHORT.minusMillis(100))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void receive_inboundFullOfOtherKeys_abortsAtOnce() {
    CompletableFuture.runAsync(
        () -> {
          try {
            for (int i = 0; i < inboundCapacity() + 2; i++) {
              pair.first().send(B.withSequence(i), Bytes.fromHex("01"));
            }
          } catch (ChannelException e) {
            // closed after the test: the last sends wait for room that never comes
          }
        },
        executor);
    long start = System.nanoTime();
    assertThatThrownBy(() -> pair.second().receive(A, LONG))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.UNEXPECTED_MESSAGE));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  private static Throwable failureOf(ThrowingCall call) {
    try {
      call.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
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
