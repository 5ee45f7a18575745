package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import org.junit.jupiter.api.AfterEach;

/** The channel contract over gRPC on loopback TCP with mutual TLS 1.3; the bank listens. */
class GrpcMutualTlsChannelContractTest extends MessageChannelContractTest {
  private LoopbackTransport loop;

  @Override
  protected ChannelPair newPair() throws Exception {
    loop = LoopbackTransport.mutualTls("s1", "bank", "partner", ContractOptions.OPTIONS);
    return loop.pair();
  }

  @Override
  protected int maxMessageBytes() {
    return ContractOptions.MAX_MESSAGE_BYTES;
  }

  @AfterEach
  void closeTransport() {
    loop.close();
  }
}
