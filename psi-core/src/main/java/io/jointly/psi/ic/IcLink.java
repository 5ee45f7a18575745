package io.jointly.psi.ic;

import io.jointly.channel.ChannelStats;
import io.jointly.core.ChannelException;
import io.jointly.core.ProtocolAbortException;
import java.time.Duration;

/**
 * What an interconnection ECDH-PSI party needs from its transport: the handshake messages of its
 * rank and the two batch streams, as values. The {@code transport} module implements it over the
 * standard's white-box transport (message keys, protobuf, ACK and FIN); tests use an in-memory
 * pair.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Rank 1 sends one {@link IcHandshake.Request} and receives one {@link IcHandshake.Response};
 *       rank 0 the other way round. Both happen before any batch on either stream.
 *   <li>{@link #send} and {@link #receive} of one stage keep order: the n-th batch received on a
 *       stage is the n-th the peer sent on it, whatever order the transport delivered them in.
 *       Receiving waits up to the time-out, then throws {@link ChannelException} ({@code TIMEOUT}).
 *   <li>A message that cannot be decoded, or a duplicate that differs from the first copy, throws
 *       {@link ProtocolAbortException} ({@code MALFORMED_MESSAGE}, {@code REPLAYED_MESSAGE}).
 *   <li>{@link #send} and {@link #receive} respond to interruption with {@link ChannelException}
 *       ({@code INTERRUPTED}): a party stops its other activities by interrupting them.
 *   <li>Sends of different stages may run on different threads at once, and so may receives.
 * </ul>
 */
public interface IcLink {

  /** Rank 1: sends the handshake request to rank 0. */
  void sendRequest(IcHandshake.Request request) throws ChannelException, ProtocolAbortException;

  /** Rank 1: receives rank 0's response. */
  IcHandshake.Response receiveResponse(Duration timeout)
      throws ChannelException, ProtocolAbortException;

  /** Rank 0: receives rank 1's request. */
  IcHandshake.Request receiveRequest(Duration timeout)
      throws ChannelException, ProtocolAbortException;

  /** Rank 0: sends the response (a refusal too). */
  void sendResponse(IcHandshake.Response response) throws ChannelException, ProtocolAbortException;

  /** Sends the next batch of {@code stage}. */
  void send(IcStage stage, CipherBatch batch) throws ChannelException, ProtocolAbortException;

  /** Receives the next batch of {@code stage}, waiting at most {@code timeout}. */
  CipherBatch receive(IcStage stage, Duration timeout)
      throws ChannelException, ProtocolAbortException;

  /** Traffic so far on this end, framing included. */
  ChannelStats stats();
}
