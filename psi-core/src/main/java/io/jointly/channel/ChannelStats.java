package io.jointly.channel;

/**
 * Traffic counted on one end of a channel.
 *
 * @param bytesSent payload plus frame-header bytes sent
 * @param bytesReceived payload plus frame-header bytes received
 * @param messagesSent messages sent
 * @param messagesReceived messages received
 */
public record ChannelStats(
    long bytesSent, long bytesReceived, long messagesSent, long messagesReceived) {

  /** Nothing sent or received. */
  public static final ChannelStats ZERO = new ChannelStats(0, 0, 0, 0);

  public ChannelStats {
    if (bytesSent < 0 || bytesReceived < 0 || messagesSent < 0 || messagesReceived < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }

  /** The difference {@code this − earlier}, for traffic during one protocol run. */
  public ChannelStats minus(ChannelStats earlier) {
    return new ChannelStats(
        bytesSent - earlier.bytesSent,
        bytesReceived - earlier.bytesReceived,
        messagesSent - earlier.messagesSent,
        messagesReceived - earlier.messagesReceived);
  }

  /** The sum {@code this + other}, for traffic over several channels. */
  public ChannelStats plus(ChannelStats other) {
    return new ChannelStats(
        bytesSent + other.bytesSent,
        bytesReceived + other.bytesReceived,
        messagesSent + other.messagesSent,
        messagesReceived + other.messagesReceived);
  }

  /** Bytes in both directions. */
  public long totalBytes() {
    return bytesSent + bytesReceived;
  }
}
