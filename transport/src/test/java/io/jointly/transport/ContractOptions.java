package io.jointly.transport;

import java.time.Duration;

/** Transport options for the contract tests: small limits, so chunking and flow control engage. */
final class ContractOptions {
  static final int MAX_MESSAGE_BYTES = 1 << 16;

  static final TransportOptions OPTIONS =
      TransportOptions.builder()
          .maxMessageBytes(MAX_MESSAGE_BYTES)
          .chunkBytes(16 << 10)
          .inboundCapacity(4)
          .sendTimeout(Duration.ofSeconds(10))
          .connectTimeout(Duration.ofSeconds(10))
          .closeGrace(Duration.ofSeconds(2))
          .build();

  private ContractOptions() {}
}
