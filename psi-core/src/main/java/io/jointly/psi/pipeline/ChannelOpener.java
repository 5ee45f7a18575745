package io.jointly.psi.pipeline;

import io.jointly.channel.MessageChannel;
import io.jointly.core.JointlyException;

/**
 * Opens the channel to the peer when a run needs it: after this party's input is prepared (so bad
 * input fails before any connection), and not at all when a resumed run has only local work left.
 */
@FunctionalInterface
public interface ChannelOpener {
  MessageChannel open() throws JointlyException;
}
