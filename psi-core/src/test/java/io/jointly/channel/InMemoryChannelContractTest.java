package io.jointly.channel;

import java.time.Duration;

class InMemoryChannelContractTest extends MessageChannelContractTest {
  private static final int MAX = 1 << 16;

  @Override
  protected ChannelPair newPair() {
    return InMemoryChannel.pair("s1", "bank", "partner", 4, MAX, Duration.ofSeconds(10));
  }

  @Override
  protected int maxMessageBytes() {
    return MAX;
  }
}
