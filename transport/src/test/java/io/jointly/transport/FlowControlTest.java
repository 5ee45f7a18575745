package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure: a receiver that does not read stops the sender after a bounded amount of data,
 * instead of either side buffering without limit. A receiver that does not read because it is busy
 * is alive (its heartbeats keep coming), so the blocked sender waits for it however long that
 * takes, and everything sent arrives once it reads; a receiver that falls silent ends the blocked
 * send within about the peer time-out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowControlTest {
  private static final Logger LOG = LoggerFactory.getLogger(FlowControlTest.class);
  private static final int MESSAGE_BYTES = 1 << 20;
  private static final int ATTEMPTS = 128; // 128 MiB: far more than any buffer in the path
  private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .chunkBytes(256 << 10)
          .inboundCapacity(4)
          .inboundBufferBytes(4L << 20)
          .peerTimeout(PEER_TIMEOUT)
          .build();
  private static final RoundKey KEY = new RoundKey("flow", 1, 0);

  private ExecutorService executor;

  @BeforeEach
  void start() {
    executor = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mutual-tls", "in-process"})
  void send_receiverBusyForSeveralPeerTimeouts_senderHeldBackThenEverythingArrives(String transport)
      throws Exception {
    try (LoopbackTransport loop =
        transport.equals("in-process")
            ? LoopbackTransport.inProcess("fc", "bank", "partner", OPTIONS)
            : LoopbackTransport.mutualTls("fc", "bank", "partner", OPTIONS)) {
      Bytes payload = Bytes.wrap(new byte[MESSAGE_BYTES]);
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < ATTEMPTS; i++) {
                    loop.connecting().send(KEY.withSequence(i), payload);
                    sent.incrementAndGet();
                  }
                } catch (ChannelException e) {
                  throw new IllegalStateException(e);
                }
              },
              executor);
      // The bank is busy (reads nothing) for well over three peer time-outs.
      Thread.sleep(3 * PEER_TIMEOUT.toMillis() + 500);
      int held = sent.get();
      LOG.info("{}: the sender was held back after {} MiB", transport, held);
      assertThat(sender).as("a busy receiver is not a dead one: the send still waits").isNotDone();
      // capacity 4 + a few requested frames + HTTP/2 windows (at most 8 MiB each way with BDP)
      assertThat(held).as("messages taken before back-pressure").isLessThan(32);
      for (int i = 0; i < ATTEMPTS; i++) {
        assertThat(loop.listening().receive(KEY.withSequence(i), Duration.ofSeconds(10)).length())
            .isEqualTo(MESSAGE_BYTES);
      }
      sender.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void send_receiverFallsSilentWhileTheSenderIsHeldBack_failsWithinAboutThePeerTimeout()
      throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    try (TransportServer server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("bank")),
            Set.of("partner"),
            OPTIONS)) {
      try (TcpRelay relay =
          new TcpRelay(
              new InetSocketAddress(
                  InetAddress.getLoopbackAddress(), ((Endpoint.Tcp) server.endpoint()).port()),
              0)) {
        PendingSession pending = server.expect("fc", "partner");
        try (TransportChannel partner =
                GrpcTransport.connect(
                    relay.endpoint(), TransportSecurity.mutualTls(ca.issue("partner")), "fc", "bank", OPTIONS);
            TransportChannel bank = pending.await(Duration.ofSeconds(10))) {
          assertThat(bank.peer()).isEqualTo("partner");
          relay.freeze(); // the bank's host goes silent: no data taken, no heartbeat, no reset
          Bytes payload = Bytes.wrap(new byte[MESSAGE_BYTES]);
          long start = System.nanoTime();
          assertThatThrownBy(
                  () -> {
                    for (int i = 0; i < ATTEMPTS; i++) {
                      partner.send(KEY.withSequence(i), payload);
                    }
                  })
              .isInstanceOfSatisfying(
                  ChannelException.class,
                  e -> {
                    assertThat(e.kind()).isEqualTo(ChannelException.Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("no sign of life");
                  });
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
      }
    }
  }
}
