package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import org.junit.jupiter.api.AfterEach;

/**
 * The channel contract over gRPC in-process with the roles swapped: the bank connects, so the
 * contract's closing, sending and oversize cases run from the connecting end.
 */
class GrpcInProcessConnectingChannelContractTest extends MessageChannelContractTest {
  private LoopbackTransport loop;

  @Override
  protected ChannelPair newPair() throws Exception {
    loop = LoopbackTransport.inProcess("s1", "partner", "bank", ContractOptions.OPTIONS);
    return new ChannelPair(loop.connecting(), loop.listening());
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
