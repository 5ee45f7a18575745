package io.jointly.transport;

import io.grpc.Server;
import io.jointly.core.ChannelException;
import io.jointly.transport.internal.SessionRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The listening party: one server that accepts any number of sessions, each from any of the peers
 * it was started for. Made by {@link GrpcTransport#listen}.
 *
 * <pre>{@code
 * try (TransportServer server = GrpcTransport.listen(Endpoint.tcp("0.0.0.0", 7000), security,
 *         Set.of("partner"), TransportOptions.DEFAULTS);
 *     TransportChannel channel = server.accept("campaign-2026-11", "partner", Duration.ofMinutes(5))) {
 *   result = psi.run(input, channel);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TransportServer implements AutoCloseable {
  private final Server server;
  private final SessionRegistry registry;
  private final Endpoint endpoint;
  private final String party;
  private final Set<String> peers;

  TransportServer(
      Server server, SessionRegistry registry, Endpoint endpoint, String party, Set<String> peers) {
    this.server = server;
    this.registry = registry;
    this.endpoint = endpoint;
    this.party = party;
    this.peers = peers;
  }

  /** The registry, for {@link SessionService}. */
  SessionRegistry registry() {
    return registry;
  }

  /** Where this server listens; for a TCP server started on port 0, the port actually bound. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The listening party's name. */
  public String party() {
    return party;
  }

  /** The parties that may connect. */
  public Set<String> peers() {
    return peers;
  }

  /**
   * Expects {@code peer} to connect for {@code sessionId}, without waiting. A peer that connected
   * before (its connection waits up to the lobby time-out) is bound at once.
   *
   * @throws IllegalArgumentException if {@code peer} is not one of {@link #peers()}
   * @throws IllegalStateException if this session was expected from this peer before, or the
   *     server is closed
   */
  public PendingSession expect(String sessionId, String peer) {
    return new PendingSession(registry.expect(sessionId, peer));
  }

  /** {@link #expect} then {@link PendingSession#await}. */
  public TransportChannel accept(String sessionId, String peer, Duration timeout)
      throws ChannelException {
    Objects.requireNonNull(timeout);
    return expect(sessionId, peer).await(timeout);
  }

  /**
   * Closes every session's channel (each peer sees its channel closed), refuses waiting
   * connections, and stops listening. Idempotent; never throws.
   */
  @Override
  public void close() {
    registry.close();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "TransportServer[" + party + " at " + endpoint + "]";
  }
}
