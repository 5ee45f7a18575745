package io.jointly.transport;

import io.jointly.channel.MessageChannelContractTest;
import java.time.Duration;

/**
 * Transport options for the contract tests: small limits, so chunking and flow control engage, and
 * a peer time-out equal to the contract's short receive time-out, so heartbeats come well within
 * it.
 */
final class ContractOptions {
  static final int MAX_MESSAGE_BYTES = 1 << 16;

  static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .maxMessageBytes(MAX_MESSAGE_BYTES)
          .chunkBytes(16 << 10)
          .inboundCapacity(4)
          .peerTimeout(MessageChannelContractTest.SHORT)
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofSeconds(2))
          .build();

  private ContractOptions() {}
}
