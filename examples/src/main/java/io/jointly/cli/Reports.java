package io.jointly.cli;

import io.jointly.channel.ChannelStats;
import java.time.Duration;

/** Small helpers the report records share. */
final class Reports {
  private Reports() {}

  /** Seconds with two decimals, as every report states elapsed time. */
  static double seconds(Duration d) {
    return Math.round(d.toMillis() / 10.0) / 100.0;
  }

  /** Bytes sent over several steps of a run. */
  static long sent(ChannelStats... steps) {
    long n = 0;
    for (ChannelStats s : steps) {
      n += s.bytesSent();
    }
    return n;
  }

  /** Bytes received over several steps of a run. */
  static long received(ChannelStats... steps) {
    long n = 0;
    for (ChannelStats s : steps) {
      n += s.bytesReceived();
    }
    return n;
  }
}
