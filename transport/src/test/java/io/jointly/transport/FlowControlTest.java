package io.jointly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure: a receiver that does not read stops the sender after a bounded amount of data
 * ({@code send} times out), instead of either side buffering without limit; what was sent still
 * arrives once the receiver reads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowControlTest {
  private static final Logger LOG = LoggerFactory.getLogger(FlowControlTest.class);
  private static final int MESSAGE_BYTES = 1 << 20;
  private static final int ATTEMPTS = 128; // 128 MiB: far more than any buffer in the path
  private static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .chunkBytes(256 << 10)
          .inboundCapacity(4)
          .inboundBufferBytes(4L << 20)
          .sendTimeout(Duration.ofSeconds(1))
          .build();

  @ParameterizedTest
  @ValueSource(strings = {"mutual-tls", "in-process"})
  void send_receiverNotReading_senderStopsAfterBoundedData(String transport) throws Exception {
    try (LoopbackTransport loop =
        transport.equals("in-process")
            ? LoopbackTransport.inProcess("fc", "bank", "partner", OPTIONS)
            : LoopbackTransport.mutualTls("fc", "bank", "partner", OPTIONS)) {
      RoundKey key = new RoundKey("flow", 1, 0);
      Bytes payload = Bytes.wrap(new byte[MESSAGE_BYTES]);
      int sent = 0;
      ChannelException stopped = null;
      try {
        for (; sent < ATTEMPTS; sent++) {
          loop.connecting().send(key.withSequence(sent), payload);
        }
      } catch (ChannelException e) {
        stopped = e;
      }
      LOG.info("{}: the sender was held back after {} MiB", transport, sent);
      assertThat(stopped).as("the sender was held back").isNotNull();
      assertThat(stopped.kind()).isEqualTo(ChannelException.Kind.TIMEOUT);
      // capacity 4 + a few requested frames + HTTP/2 windows (at most 8 MiB each way with BDP)
      assertThat(sent).as("messages taken before back-pressure").isLessThan(32);
      for (int i = 0; i < sent; i++) {
        assertThat(loop.listening().receive(key.withSequence(i), Duration.ofSeconds(10)).length())
            .isEqualTo(MESSAGE_BYTES);
      }
    }
  }
}
