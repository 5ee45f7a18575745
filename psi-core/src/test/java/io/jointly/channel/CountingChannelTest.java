package io.jointly.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.Bytes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CountingChannelTest {
  @Test
  void stats_afterTraffic_countPayloadAndFraming() throws Exception {
    ChannelPair pair = InMemoryChannel.pair("s", "a", "b");
    CountingChannel a = new CountingChannel(pair.first());
    CountingChannel b = new CountingChannel(pair.second());
    RoundKey key = new RoundKey("test", 7, 3);
    a.send(key, Bytes.wrap(new byte[100]));
    b.receive(key, Duration.ofSeconds(5));
    long frame = 4 + (1 + 4 + 2 + 4) + 100;
    assertThat(a.stats()).isEqualTo(new ChannelStats(frame, 0, 1, 0));
    assertThat(b.stats()).isEqualTo(new ChannelStats(0, frame, 0, 1));
    assertThat(a.stats().minus(ChannelStats.ZERO).totalBytes()).isEqualTo(frame);
  }
}
