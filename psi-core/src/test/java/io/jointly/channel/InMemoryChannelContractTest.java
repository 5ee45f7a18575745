package io.jointly.channel;

class InMemoryChannelContractTest extends MessageChannelContractTest {
  private static final int MAX = 1 << 16;
  private static final int CAPACITY = 4;

  @Override
  protected ChannelPair newPair() {
    return InMemoryChannel.pair("s1", "bank", "partner", CAPACITY, MAX);
  }

  @Override
  protected int maxMessageBytes() {
    return MAX;
  }

  @Override
  protected int inboundCapacity() {
    return CAPACITY;
  }
}
