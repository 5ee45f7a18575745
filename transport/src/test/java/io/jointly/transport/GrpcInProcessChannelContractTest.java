package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import org.junit.jupiter.api.AfterEach;

/** The channel contract over gRPC in-process; the bank listens. */
class GrpcInProcessChannelContractTest extends MessageChannelContractTest {
  private LoopbackTransport loop;

  @Override
  protected ChannelPair newPair() throws Exception {
    loop = LoopbackTransport.inProcess("s1", "bank", "partner", ContractOptions.OPTIONS);
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
