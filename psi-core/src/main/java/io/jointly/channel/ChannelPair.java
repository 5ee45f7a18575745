package io.jointly.channel;

import java.util.Objects;

/**
 * Two connected ends of a channel, as made by {@link InMemoryChannel#pair}.
 *
 * @param first the end of the first-named party
 * @param second the end of the second-named party
 */
public record ChannelPair(MessageChannel first, MessageChannel second) {
  public ChannelPair {
    Objects.requireNonNull(first);
    Objects.requireNonNull(second);
  }

  /** Closes both ends. */
  public void closeBoth() {
    first.close();
    second.close();
  }
}
