package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/** The channel contract over gRPC in-process; the bank listens. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
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

  @Override
  protected int inboundCapacity() {
    return ContractOptions.OPTIONS.inboundCapacity();
  }

  @AfterEach
  void closeTransport() {
    loop.close();
  }
}
