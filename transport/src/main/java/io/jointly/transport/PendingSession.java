package io.jointly.transport;

import io.jointly.core.ChannelException;
import io.jointly.transport.internal.SessionRegistry;
import java.time.Duration;

/**
 * The listening party's wait for one peer in one session, made by {@link TransportServer#expect}.
 * Registering the expectation first and awaiting it later lets a party expect several peers (or
 * connect somewhere else) before blocking.
 *
 * <p>Thread-safe.
 */
public final class PendingSession {
  private final SessionRegistry.Expectation expectation;

  PendingSession(SessionRegistry.Expectation expectation) {
    this.expectation = expectation;
  }

  /** The session id. */
  public String sessionId() {
    return expectation.sessionId();
  }

  /** The expected peer. */
  public String peer() {
    return expectation.peer();
  }

  /**
   * Waits until the peer has connected and its hello was accepted.
   *
   * @throws ChannelException {@code TIMEOUT} if it did not within {@code timeout} (the
   *     expectation is then withdrawn), {@code CLOSED} if the server was closed, {@code
   *     INTERRUPTED}
   */
  public TransportChannel await(Duration timeout) throws ChannelException {
    return expectation.await(timeout);
  }

  /** Withdraws the expectation (closing the channel if the peer had already connected). */
  public void cancel() {
    expectation.cancel();
  }

  @Override
  public String toString() {
    return "PendingSession[" + sessionId() + " from " + peer() + "]";
  }
}
