package io.jointly.transport;

import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.transport.internal.SessionRegistry;
import io.jointly.transport.internal.StreamChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running server mode: every session any of the server's peers opens is served as it
 * arrives, by a {@link Handler} on its own thread, without the application expecting session ids
 * in advance ({@link TransportServer#expect} still works beside it). For services such as OPRF
 * membership checks, where many clients keep warm connections and reconnect at will.
 *
 * <pre>{@code
 * try (TransportServer server = GrpcTransport.listen(endpoint, tls, Set.of("bank-app", "bank"), options);
 *     SessionService service = SessionService.start(server, SessionService.Limits.DEFAULTS,
 *         channel -> oprfServer.serve(channel))) {
 *   service.awaitClose();
 * }
 * }</pre>
 *
 * <p>Bounded: at most {@link Limits#maxSessions()} sessions at once, and {@link
 * Limits#maxSessionsPerPeer()} of one peer, so that one client cannot take every slot; a session
 * beyond either limit is refused before it starts with gRPC {@code UNAVAILABLE}, which the
 * connecting side retries until its connect time-out (then {@code ChannelException(TIMEOUT)}). A
 * session ends when its handler returns or throws; its channel is then closed.
 *
 * <p>Liveness is the transport's, as for any channel: both ends send heartbeats while their
 * outbound direction is idle, so a handler's {@code receive} waits for a peer that is busy (alive,
 * not waiting for this side) however long it takes, and fails once the peer gave no sign of work
 * for the receive time-out: at once when its connection is reset, within that time-out when its
 * process, host or network went silent (keep-alive underneath as the backstop). A peer that stays
 * connected and alive but never asks anything is, for the transport, busy: a handler that must
 * bound such sessions applies a wall-clock deadline of its own (the OPRF server does, for the hello
 * and between membership checks). Everything a session holds — its thread, the registry's stream
 * and (session, peer) key, the channel's bounded buffers — is released when it ends, so a
 * long-running service's memory and threads do not grow with the sessions it has served.
 *
 * <p>The log (SLF4J) names each session's peer, session id, duration and outcome — a typed
 * failure's kind and message, which never contain data values — and nothing of what was sent.
 *
 * <p>Thread-safe.
 */
public final class SessionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

  /** Serves one session; the channel is closed after it returns or throws. */
  @FunctionalInterface
  public interface Handler {
    void serve(TransportChannel channel) throws Exception;
  }

  /**
   * How many sessions may run at once.
   *
   * @param maxSessions in total (each holds one thread while it runs)
   * @param maxSessionsPerPeer of one peer
   */
  public record Limits(int maxSessions, int maxSessionsPerPeer) {
    /** 256 sessions, 64 per peer. */
    public static final Limits DEFAULTS = new Limits(256, 64);

    public Limits {
      if (maxSessions < 1 || maxSessionsPerPeer < 1 || maxSessionsPerPeer > maxSessions) {
        throw new IllegalArgumentException("limits must satisfy 1 <= per peer <= total");
      }
    }
  }

  private final TransportServer server;
  private final Limits limits;
  private final Handler handler;
  private final ThreadPoolExecutor threads;
  private final Object lock = new Object();
  private final Map<String, Integer> perPeer = new HashMap<>(); // guarded by lock
  private int active; // guarded by lock
  private long served; // guarded by lock
  private boolean closed; // guarded by lock

  private SessionService(TransportServer server, Limits limits, Handler handler) {
    this.server = server;
    this.limits = limits;
    this.handler = handler;
    this.threads =
        new ThreadPoolExecutor(
            0,
            limits.maxSessions(),
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "jointly-session");
              t.setDaemon(true);
              return t;
            });
  }

  /** Serves every session the peers of {@code server} open, from now until {@link #close()}. */
  public static SessionService start(TransportServer server, Limits limits, Handler handler) {
    SessionService s =
        new SessionService(Objects.requireNonNull(server), Objects.requireNonNull(limits), Objects.requireNonNull(handler));
    server.registry().serveOpenSessions(s.new Admission());
    LOG.info("{} serves sessions of {} at {} (at most {} at once, {} per peer)",
        server.party(), server.peers(), server.endpoint(), limits.maxSessions(), limits.maxSessionsPerPeer());
    return s;
  }

  /** Where the service listens. */
  public Endpoint endpoint() {
    return server.endpoint();
  }

  /** Sessions running now. */
  public int activeSessions() {
    synchronized (lock) {
      return active;
    }
  }

  /** Sessions started since the service started. */
  public long sessionsServed() {
    synchronized (lock) {
      return served;
    }
  }

  /** Threads of the session pool, running or idle (idle ones end after a minute). */
  int poolThreads() {
    return threads.getPoolSize();
  }

  /** Streams the server's registry holds (see {@link SessionRegistry#heldStreams()}). */
  int heldStreams() {
    return server.registry().heldStreams();
  }

  /** Sessions the server's registry remembers (see {@link SessionRegistry#rememberedSessions()}). */
  int rememberedSessions() {
    return server.registry().rememberedSessions();
  }

  /** Blocks until {@link #close()} is called (from another thread, for example a shutdown hook). */
  public void awaitClose() throws InterruptedException {
    synchronized (lock) {
      while (!closed) {
        lock.wait();
      }
    }
  }

  /**
   * Stops admitting sessions, closes the server (every running session's channel is closed, so
   * its handler ends with a channel failure) and waits up to five seconds for the handlers.
   * Idempotent; never throws.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    server.close();
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.shutdownNow();
    }
    LOG.info("{} stopped serving after {} sessions", server.party(), sessionsServed());
  }

  private final class Admission implements SessionRegistry.OpenSessions {
    @Override
    public boolean admit(String peer, String sessionId) {
      synchronized (lock) {
        int mine = perPeer.getOrDefault(peer, 0);
        if (closed || active >= limits.maxSessions() || mine >= limits.maxSessionsPerPeer()) {
          return false;
        }
        active++;
        served++;
        perPeer.put(peer, mine + 1);
        return true;
      }
    }

    @Override
    public void start(StreamChannel channel) {
      try {
        threads.execute(() -> run(channel));
      } catch (RuntimeException e) { // rejected: the pool is shut down
        channel.close();
        release(channel.peer());
      }
    }
  }

  private void run(TransportChannel channel) {
    long start = System.nanoTime();
    String outcome = "ok";
    try {
      handler.serve(channel);
    } catch (ProtocolAbortException e) {
      outcome = "aborted: " + e.getMessage();
    } catch (ChannelException e) {
      outcome = "channel " + e.getMessage();
    } catch (JointlyException e) {
      outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (Exception | Error e) {
      outcome = "internal error (" + e.getClass().getSimpleName() + ")";
      LOG.error("session {} of {}: internal error", channel.sessionId(), channel.peer(), e);
    } finally {
      channel.close();
      release(channel.peer());
      LOG.info("session {} of {} ended after {} ms: {}",
          channel.sessionId(), channel.peer(), Duration.ofNanos(System.nanoTime() - start).toMillis(), outcome);
    }
  }

  private void release(String peer) {
    synchronized (lock) {
      active--;
      perPeer.merge(peer, -1, Integer::sum);
      if (perPeer.get(peer) == 0) {
        perPeer.remove(peer);
      }
    }
  }

  @Override
  public String toString() {
    return "SessionService[" + server + ", " + limits + "]";
  }
}
