package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The channel contract over gRPC in-process with the roles swapped: the bank connects, so the
 * contract's closing, sending and oversize cases run from the connecting end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
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

  @Override
  protected int inboundCapacity() {
    return ContractOptions.OPTIONS.inboundCapacity();
  }

  @AfterEach
  void closeTransport() {
    loop.close();
  }
}
