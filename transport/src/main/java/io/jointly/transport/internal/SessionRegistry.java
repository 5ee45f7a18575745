package io.jointly.transport.internal;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jointly.core.ChannelException;
import io.jointly.transport.TransportOptions;
import io.jointly.transport.internal.proto.Frame;
import io.jointly.transport.internal.proto.Hello;
import io.jointly.transport.internal.proto.JointlyTransportGrpc;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening party's side of the wire protocol: it takes each incoming stream's hello, checks
 * it, and binds the stream to the session the application {@linkplain #expect expects} from that
 * peer. One registry serves any number of sessions and peers.
 *
 * <p>A hello is refused (the call ends with a status, before any envelope moves) when its version
 * differs ({@code FAILED_PRECONDITION}), it is malformed ({@code INVALID_ARGUMENT}), it is
 * addressed to another party or its session is not expected within the lobby time-out ({@code
 * NOT_FOUND}), its sender is not an expected peer or not the party the TLS certificate names
 * ({@code PERMISSION_DENIED}), or the (session, peer) pair is under way or was used before ({@code
 * ALREADY_EXISTS}: sessions are single-use, so a replayed connection cannot rejoin). Streams whose
 * session is not yet expected wait in a bounded lobby ({@code UNAVAILABLE} when full, which the
 * connecting side retries). A stream that sends no hello within the connect time-out is ended
 * ({@code DEADLINE_EXCEEDED}); one that arrives while the server closes is refused with {@code
 * UNAVAILABLE}.
 *
 * <h2>Reconnects</h2>
 *
 * A connecting party whose attempt failed on its side (it did not see this party's hello in time,
 * its connection broke) connects again, possibly before this side has noticed the first attempt
 * end. The newer stream of the same authenticated party (same certificate name, same session)
 * replaces the older one: in the lobby, the older stream is refused ({@code ABORTED}) and the newer
 * one waits in its place; once bound, the session's channel moves to the newer stream if no
 * envelope has moved yet in either direction ({@link StreamChannel#reattachServerCall}), so the
 * channel the application already holds keeps working. A session under way (envelopes moved) or
 * over refuses the newer stream with {@code ALREADY_EXISTS}.
 *
 * <p>Thread-safe: every stream's state changes under one lock; timer tasks and gRPC callbacks
 * take it briefly, and channel callbacks are forwarded outside it.
 */
public final class SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  /** What the TLS layer says about the caller, attached by {@link #identityInterceptor()}. */
  record Caller(Set<String> certificateNames, List<X509Certificate> chain, String remote) {}

  private static final Context.Key<Caller> CALLER = Context.key("jointly-transport-caller");

  /** Connections that may wait for their session to be expected. */
  static final int MAX_LOBBY = 64;

  private record SessionPeer(String sessionId, String peer) {}

  /** Where an incoming stream stands. */
  private enum State {
    /** Opened, no hello yet. */
    HELLO_PENDING,
    /** Hello accepted, its session not expected yet. */
    LOBBY,
    /** The session's channel runs on it. */
    BOUND,
    /** Ended by this side (refused, replaced) or by the peer before it was bound. */
    DONE
  }

  private final String self;
  private final Set<String> expectedPeers;
  private final boolean requireCertificate;
  private final TransportOptions options;

  private final Object lock = new Object();
  private final Map<SessionPeer, Expectation> waiting = new HashMap<>();
  private final Map<SessionPeer, ServerStream> lobby = new HashMap<>();
  private final Map<SessionPeer, StreamChannel> active = new HashMap<>();
  private final Set<SessionPeer> used = new HashSet<>();
  private final Map<SessionPeer, ServerStream> carriers = new HashMap<>(); // the stream of each active channel
  private final Set<ServerStream> handshaking = new HashSet<>();
  private final Set<SessionPeer> openKeys = new HashSet<>(); // served through OpenSessions
  private boolean closed;
  private OpenSessions open; // guarded by lock; null unless sessions are served as they arrive

  /**
   * Serves sessions as they arrive instead of waiting for {@link #expect}: a hello for a session
   * nobody expects is offered to {@link #admit} at once (no lobby); if admitted, its channel is
   * bound and handed to {@link #start}, otherwise the stream is refused with {@code UNAVAILABLE}
   * (which the connecting side retries until its connect time-out). Such sessions are single-use
   * only while under way: their key is forgotten when the channel closes, so a long-running server
   * keeps no per-session state.
   */
  public interface OpenSessions {
    /** Whether a new session of {@code peer} may start now (never blocks). */
    boolean admit(String peer, String sessionId);

    /** The admitted session's channel, bound; must not block (hand it to an executor). */
    void start(StreamChannel channel);
  }

  /** Serves unexpected sessions through {@code sessions} from now on (see {@link OpenSessions}). */
  public void serveOpenSessions(OpenSessions sessions) {
    synchronized (lock) {
      this.open = Objects.requireNonNull(sessions);
    }
  }

  /**
   * @param self the listening party
   * @param expectedPeers the parties that may connect
   * @param requireCertificate whether callers must have presented a TLS certificate (mutual TLS)
   * @param options limits and time-outs
   */
  public SessionRegistry(
      String self, Set<String> expectedPeers, boolean requireCertificate, TransportOptions options) {
    this.self = Names.party(self);
    this.expectedPeers = Set.copyOf(expectedPeers);
    this.requireCertificate = requireCertificate;
    this.options = Objects.requireNonNull(options);
  }

  /** The gRPC service to register with the server. */
  public BindableService service() {
    return new JointlyTransportGrpc.JointlyTransportImplBase() {
      @Override
      public StreamObserver<Frame> exchange(StreamObserver<Frame> responseObserver) {
        ServerCallStreamObserver<Frame> call = (ServerCallStreamObserver<Frame>) responseObserver;
        Caller caller = CALLER.get();
        ServerStream stream =
            new ServerStream(call, caller != null ? caller : new Caller(null, List.of(), "unknown address"));
        call.disableAutoRequest();
        call.setOnReadyThreshold(2 * options.chunkBytes());
        call.setOnReadyHandler(stream::onReady);
        call.setOnCancelHandler(stream::onCancel);
        synchronized (lock) {
          if (closed) {
            stream.refuse(Status.UNAVAILABLE, "server closing");
            return stream;
          }
          handshaking.add(stream);
          stream.deadline = Timers.once(stream::helloTimedOut, options.connectTimeout().toMillis());
        }
        call.request(1); // the hello
        return stream;
      }
    };
  }

  /** Records the caller's certificate names and address for {@link #service()}. */
  public ServerInterceptor identityInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Set<String> names = null;
        List<X509Certificate> x509 = new ArrayList<>();
        if (ssl != null) {
          try {
            Certificate[] chain = ssl.getPeerCertificates();
            for (Certificate c : chain) {
              if (c instanceof X509Certificate x) {
                x509.add(x);
              }
            }
            names =
                chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? CertificateIdentities.of(leaf)
                    : Set.of();
          } catch (SSLPeerUnverifiedException e) {
            names = Set.of();
          }
        }
        SocketAddress addr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Caller caller = new Caller(names, List.copyOf(x509), addr != null ? addr.toString() : "in-process");
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
      }
    };
  }

  /**
   * Expects {@code peer} to connect for {@code sessionId}. If it already waits in the lobby, the
   * stream is bound at once.
   *
   * @throws IllegalArgumentException if {@code peer} is not an expected party
   * @throws IllegalStateException if this (session, peer) was expected or connected before, or the
   *     registry is closed
   */
  public Expectation expect(String sessionId, String peer) {
    Names.session(sessionId);
    Names.party(peer);
    if (!expectedPeers.contains(peer)) {
      throw new IllegalArgumentException(
          "'" + peer + "' is not among the parties this server accepts " + expectedPeers);
    }
    SessionPeer key = new SessionPeer(sessionId, peer);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the server is closed");
      }
      if (used.contains(key) || waiting.containsKey(key)) {
        throw new IllegalStateException(
            "session " + sessionId + " with " + peer + " is already expected or was used");
      }
      Expectation e = new Expectation(key);
      ServerStream parked = lobby.remove(key);
      if (parked != null) {
        bind(parked, key, e);
      } else {
        waiting.put(key, e);
      }
      return e;
    }
  }

  /**
   * Streams this registry holds now: those awaiting their hello, waiting in the lobby, or carrying
   * a session under way. A long-running server that serves {@link OpenSessions} returns to 0 once
   * its sessions have ended, however they ended.
   */
  public int heldStreams() {
    synchronized (lock) {
      return handshaking.size() + lobby.size() + active.size();
    }
  }

  /**
   * (session, peer) pairs remembered so a used session cannot be joined again: every expected
   * session, and open sessions only while under way.
   */
  public int rememberedSessions() {
    synchronized (lock) {
      return used.size();
    }
  }

  /** Ends every session and refuses every waiting connection. Idempotent. */
  public void close() {
    List<StreamChannel> channels;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Expectation e : waiting.values()) {
        e.future.completeExceptionally(
            new ChannelException(ChannelException.Kind.CLOSED, "the server was closed"));
      }
      waiting.clear();
      for (ServerStream s : new ArrayList<>(lobby.values())) {
        s.refuse(Status.UNAVAILABLE, "server closing");
      }
      lobby.clear();
      for (ServerStream s : new ArrayList<>(handshaking)) {
        s.refuse(Status.UNAVAILABLE, "server closing");
      }
      handshaking.clear();
      channels = new ArrayList<>(active.values());
    }
    for (StreamChannel c : channels) {
      c.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void onHello(ServerStream s, Frame frame) {
    Hello h = frame.getHello();
    String sender = h.getSender();
    Status refusal = null;
    String why = null;
    if (frame.getBodyCase() != Frame.BodyCase.HELLO) {
      refusal = Status.INVALID_ARGUMENT;
      why = "the first frame is not a hello";
    } else if (h.getProtocolVersion() != Wire.PROTOCOL_VERSION) {
      refusal = Status.FAILED_PRECONDITION;
      why = "transport protocol version " + Integer.toUnsignedString(h.getProtocolVersion());
    } else if (!Names.isSession(h.getSessionId()) || !Names.isParty(sender)) {
      refusal = Status.INVALID_ARGUMENT;
      why = "malformed session id or party name";
    } else if (h.getMaxSilenceMillis() == 0) {
      refusal = Status.INVALID_ARGUMENT;
      why = "hello without max_silence_millis";
    } else if (!self.equals(h.getReceiver())) {
      refusal = Status.NOT_FOUND;
      why = "hello addressed to another party";
    } else if (!expectedPeers.contains(sender)) {
      refusal = Status.PERMISSION_DENIED;
      why = "'" + sender + "' is not an expected party";
    } else if (s.caller.certificateNames() == null && requireCertificate) {
      refusal = Status.PERMISSION_DENIED;
      why = "no client certificate";
    } else if (s.caller.certificateNames() != null
        && !s.caller.certificateNames().contains(sender)) {
      refusal = Status.PERMISSION_DENIED;
      why = "hello from '" + sender + "' but the certificate names " + s.caller.certificateNames();
    }
    SessionPeer key = new SessionPeer(h.getSessionId(), sender);
    synchronized (lock) {
      if (s.state != State.HELLO_PENDING) {
        return; // timed out or ended meanwhile
      }
      handshaking.remove(s);
      s.cancelDeadline();
      if (refusal != null) {
        LOG.warn("refused a connection from {}: {}", s.caller.remote(), why);
        s.refuse(refusal, why);
        return;
      }
      if (closed) {
        s.refuse(Status.UNAVAILABLE, "server closing");
        return;
      }
      s.peerMaxSilenceMillis = h.getMaxSilenceMillis();
      ServerStream older = lobby.remove(key);
      if (older != null) {
        LOG.info(
            "session {}: {} connected again ({}); its older connection is dropped",
            key.sessionId(),
            sender,
            s.caller.remote());
        older.refuse(Status.ABORTED, "replaced by a newer connection of the same party");
      }
      if (used.contains(key)) {
        StreamChannel ch = active.get(key);
        if (ch != null && ch.reattachServerCall(s.call, s.peerMaxSilenceMillis)) {
          ServerStream previous = carriers.put(key, s);
          ch.authenticatedPeer(s.caller.chain());
          s.bindTo(ch);
          LOG.info(
              "session {}: {} connected again ({}) before the session started; the session moves to the new connection",
              key.sessionId(),
              sender,
              s.caller.remote());
          if (previous != null) {
            previous.state = State.DONE;
            previous.channel = null;
          }
          ch.sendHello();
          return;
        }
        LOG.warn(
            "refused a second connection for session {} from {} ({}): the session is under way or over",
            key.sessionId(),
            sender,
            s.caller.remote());
        s.refuse(Status.ALREADY_EXISTS, "session already under way or used");
        return;
      }
      Expectation e = waiting.remove(key);
      if (e != null) {
        bind(s, key, e);
      } else if (open != null) {
        if (!open.admit(sender, key.sessionId())) {
          LOG.warn("refused a session of {} ({}): the server is at its session limit", sender, s.caller.remote());
          s.refuse(Status.UNAVAILABLE, "server busy");
          return;
        }
        Expectation openSession = new Expectation(key);
        bind(s, key, openSession);
        openKeys.add(key);
        open.start(openSession.future.join());
      } else if (lobby.size() >= MAX_LOBBY) {
        s.refuse(Status.UNAVAILABLE, "too many connections waiting for their session");
      } else {
        lobby.put(key, s);
        s.state = State.LOBBY;
        s.deadline = Timers.once(() -> expire(s, key), options.lobbyTimeout().toMillis());
      }
    }
  }

  private void expire(ServerStream s, SessionPeer key) {
    synchronized (lock) {
      if (lobby.remove(key, s)) {
        LOG.warn(
            "refused {} ({}): session {} was not expected within {}",
            key.peer(),
            s.caller.remote(),
            key.sessionId(),
            options.lobbyTimeout());
        s.refuse(Status.NOT_FOUND, "session not served");
      }
    }
  }

  /** Under lock. */
  private void bind(ServerStream s, SessionPeer key, Expectation e) {
    used.add(key);
    s.cancelDeadline();
    StreamChannel[] holder = new StreamChannel[1];
    StreamChannel ch =
        new StreamChannel(
            StreamChannel.Side.LISTENING,
            key.sessionId(),
            self,
            key.peer(),
            s.caller.remote(),
            options,
            () -> forget(key, holder[0]));
    holder[0] = ch;
    ch.authenticatedPeer(s.caller.chain());
    ch.attachServerCall(s.call, s.peerMaxSilenceMillis);
    s.bindTo(ch);
    active.put(key, ch);
    carriers.put(key, s);
    ch.sendHello();
    LOG.debug("session {}: {} connected from {}", key.sessionId(), key.peer(), s.caller.remote());
    e.future.complete(ch);
  }

  private void forget(SessionPeer key, StreamChannel ch) {
    synchronized (lock) {
      if (active.remove(key, ch)) {
        carriers.remove(key);
        if (openKeys.remove(key)) {
          used.remove(key);
        }
      }
    }
  }

  /** One incoming stream, before and after its hello is bound to a session. */
  private final class ServerStream implements StreamObserver<Frame> {
    final ServerCallStreamObserver<Frame> call;
    final Caller caller;
    /** The channel while this stream carries it; read without the lock on the frame path. */
    volatile StreamChannel channel;
    // Guarded by lock.
    State state = State.HELLO_PENDING;
    ScheduledFuture<?> deadline; // the hello deadline, then the lobby expiry
    int peerMaxSilenceMillis;
    private boolean refused;

    ServerStream(ServerCallStreamObserver<Frame> call, Caller caller) {
      this.call = call;
      this.caller = caller;
    }

    /** Under lock: this stream now carries {@code ch}. */
    void bindTo(StreamChannel ch) {
      cancelDeadline();
      state = State.BOUND;
      channel = ch;
    }

    @Override
    public void onNext(Frame frame) {
      StreamChannel c = channel;
      if (c != null) {
        c.onFrame(call, frame);
        return;
      }
      boolean hello;
      synchronized (lock) {
        hello = state == State.HELLO_PENDING;
      }
      if (hello) {
        onHello(this, frame);
      }
    }

    /** A caller that opened a stream but sent no hello within the connect time-out. */
    void helloTimedOut() {
      synchronized (lock) {
        if (state == State.HELLO_PENDING) {
          handshaking.remove(this);
          LOG.warn(
              "refused a connection from {}: no hello within {}", caller.remote(), options.connectTimeout());
          refuse(Status.DEADLINE_EXCEEDED, "no hello");
        }
      }
    }

    /** Under lock. */
    void cancelDeadline() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    /** The stream ended from the peer's side or by the network; returns its channel, if bound. */
    private StreamChannel ended() {
      synchronized (lock) {
        cancelDeadline();
        handshaking.remove(this);
        if (state == State.LOBBY) {
          lobby.values().remove(this);
        }
        if (state == State.BOUND) {
          return channel;
        }
        state = State.DONE;
        return null;
      }
    }

    @Override
    public void onError(Throwable t) {
      StreamChannel c = ended();
      if (c != null) {
        c.onCallFailed(call, t);
      }
    }

    @Override
    public void onCompleted() {
      StreamChannel c = ended();
      if (c != null) {
        c.onPeerCompleted(call);
      } else {
        synchronized (lock) {
          refuse(Status.INVALID_ARGUMENT, "stream closed before its session started");
        }
      }
    }

    void onReady() {
      StreamChannel c = channel;
      if (c != null) {
        c.onReady(); // spurious wake-ups are harmless: senders re-check readiness
      }
    }

    void onCancel() {
      StreamChannel c = ended();
      if (c != null) {
        c.onCallFailed(
            call, Status.CANCELLED.withDescription("the peer's stream ended").asRuntimeException());
      }
    }

    /** Under lock: ends an unbound stream with {@code status} (once). */
    void refuse(Status status, String why) {
      if (state == State.BOUND) {
        return;
      }
      state = State.DONE;
      cancelDeadline();
      if (refused) {
        return;
      }
      refused = true;
      try {
        call.onError(status.withDescription(why).asRuntimeException());
      } catch (RuntimeException e) {
        LOG.debug("refused stream had already ended");
      }
    }
  }

  /** The listening party's wait for one (session, peer). */
  public final class Expectation {
    private final SessionPeer key;
    private final CompletableFuture<StreamChannel> future = new CompletableFuture<>();

    private Expectation(SessionPeer key) {
      this.key = key;
    }

    /** The session id. */
    public String sessionId() {
      return key.sessionId();
    }

    /** The peer. */
    public String peer() {
      return key.peer();
    }

    /**
     * Waits for the peer's connection. On time-out the expectation is withdrawn: a later
     * connection for it is refused.
     */
    public StreamChannel await(Duration timeout) throws ChannelException {
      try {
        try {
          return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          synchronized (lock) {
            if (waiting.remove(key, this)) {
              used.add(key);
              throw new ChannelException(
                  ChannelException.Kind.TIMEOUT,
                  "no connection from "
                      + key.peer()
                      + " for session "
                      + key.sessionId()
                      + " within "
                      + timeout);
            }
          }
          return future.get(); // bound or failed meanwhile: already complete
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ChannelException c) {
          throw new ChannelException(c.kind(), "the server was closed while waiting for " + key.peer());
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel();
        throw new ChannelException(
            ChannelException.Kind.INTERRUPTED, "interrupted while waiting for " + key.peer());
      }
    }

    /** Withdraws the expectation; a channel already bound is closed. */
    public void cancel() {
      synchronized (lock) {
        if (waiting.remove(key, this)) {
          used.add(key);
          return;
        }
      }
      StreamChannel c = future.getNow(null);
      if (c != null) {
        c.close();
      }
    }
  }
}
