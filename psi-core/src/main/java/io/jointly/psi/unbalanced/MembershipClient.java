package io.jointly.psi.unbalanced;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.Oprf;
import io.jointly.psi.unbalanced.internal.Items;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * Checks one identifier at a time against the server's set ("is this applicant among your active
 * customers?"), each check an OPRF evaluation by the server on a warm connection and a lookup in
 * the client's cache ({@link OprfCache}): {@link #contains(String)}.
 *
 * <p>Each check: normalise the identifier with the cache's profile (an invalid one is an {@link
 * InputException} and costs nothing), blind it ({@link Oprf#blind}), send {@code QUERY i}, receive
 * {@code ANSWER i}, unblind and finalise, look up. The server charges one evaluation to this
 * party's budget for the purpose before it evaluates; when the budget is spent it answers with a
 * refusal instead, which {@code contains} throws as {@link ProtocolAbortException} with reason
 * {@code BUDGET_EXHAUSTED} (the session stays open: another purpose, or tomorrow). If the server's
 * set changed since the cache was taken, it refuses without charging and {@code contains} throws
 * {@link InputException} {@code CACHE_MISMATCH}: apply the deltas or download the new cache, then
 * open a new client.
 *
 * <p>The connection is opened by the {@link Connector} when the client is opened and kept warm
 * between checks. It is reopened transparently before a check when the server's idle time-out is
 * near or the session's query limit is reached, and once when sending a query fails because the
 * session had ended (the server never saw that query). A failure after the query was sent is
 * thrown as {@link ChannelException}: the server may or may not have counted it. After any
 * failure other than an exhausted budget the session is dropped, and the next check opens a fresh
 * one.
 *
 * <p>What each party learns per check (semi-honest, RFC 9497 §7): the server learns that this
 * party made one check for the purpose, and nothing about the identifier; this party learns
 * whether that one identifier is in the server's set. A client that spends its budget on guesses
 * learns the membership of as many guessed identifiers as its budget allows, no more: without the
 * server's key the cache cannot be searched offline, and each evaluation is one identifier.
 *
 * <p>Thread-safe: checks are serialised on one connection (open several clients for parallel
 * checks).
 */
public final class MembershipClient implements AutoCloseable {
  /** Opens a channel to the server (for example {@code GrpcTransport.connect} with a fresh session id). */
  @FunctionalInterface
  public interface Connector {
    MessageChannel connect() throws JointlyException;
  }

  /**
   * The client's standing for its purpose after the latest check.
   *
   * @param used evaluations counted today
   * @param limit the daily limit
   */
  public record Usage(long used, long limit) {}

  private final OprfCache cache;
  private final UnbalancedPsiParameters params;
  private final Connector connector;
  private final Oprf oprf = Oprf.RISTRETTO255_SHA512;
  private final SecureRandom random = new SecureRandom();

  private MessageChannel channel; // guarded by this
  private ServerHello server; // guarded by this
  private int sequence; // guarded by this
  private long lastUse; // guarded by this
  private Usage usage; // guarded by this
  private SessionDigest transcript; // guarded by this
  /** Blinds with precomputed inverses, so a check needs no scalar inversion of its own. */
  private final java.util.ArrayDeque<io.jointly.oprf.OprfBlind> blinds = new java.util.ArrayDeque<>(); // guarded by this

  private static final int BLIND_BATCH = 32;
  private boolean closed; // guarded by this

  private MembershipClient(OprfCache cache, UnbalancedPsiParameters params, Connector connector) {
    this.cache = cache;
    this.params = params;
    this.connector = connector;
  }

  /**
   * Connects and runs the handshake.
   *
   * @throws InputException {@code CACHE_MISMATCH} if the cache is of another server or not its
   *     current one
   * @throws ProtocolAbortException if the server refuses the purpose or the budget is spent
   */
  public static MembershipClient open(OprfCache cache, UnbalancedPsiParameters params, Connector connector)
      throws JointlyException {
    MembershipClient c =
        new MembershipClient(Objects.requireNonNull(cache), Objects.requireNonNull(params), Objects.requireNonNull(connector));
    synchronized (c) {
      c.connect();
    }
    return c;
  }

  /** Whether the server's set holds this identifier (one key column). */
  public boolean contains(String identifier) throws JointlyException {
    return contains(List.of(Objects.requireNonNull(identifier, "identifier")));
  }

  /**
   * Whether the server's set holds the identifier with these key values (one per key column).
   *
   * @throws InputException {@code INVALID_IDENTIFIER} if a value fails the cache's profile (nothing
   *     is sent), {@code CACHE_MISMATCH} if the server's set changed
   * @throws ProtocolAbortException {@code BUDGET_EXHAUSTED} if the daily budget is spent, or if the
   *     server misbehaves
   * @throws ChannelException if the connection failed during the check
   */
  public synchronized boolean contains(List<String> keyValues) throws JointlyException {
    if (closed) {
      throw new IllegalStateException("the membership client is closed");
    }
    CacheHeader h = cache.header();
    if (keyValues.size() != h.keyColumns()) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, keyValues.size() + " key values, the cache has " + h.keyColumns());
    }
    byte[] item = Items.encode(keyValues, h.profile());
    if (item == null) {
      throw new InputException(
          InputException.Kind.INVALID_IDENTIFIER, -1, "identifier is not a valid " + h.profile().displayName() + " value");
    }
    if (blinds.isEmpty()) {
      blinds.addAll(java.util.Arrays.asList(oprf.blinds(BLIND_BATCH, random)));
    }
    Oprf.Blinded blinded = oprf.blind(item, blinds.poll());
    try {
      byte[] query = new byte[1 + blinded.element().length()];
      query[0] = 1;
      blinded.element().copyTo(query, 1);
      if (needsFreshSession()) {
        reconnect();
      }
      try {
        channel.send(Wire.Round.QUERY.key(sequence), Bytes.wrap(query));
      } catch (ChannelException e) {
        // The session had ended (idle, server restart): the server never saw this query.
        reconnect();
        channel.send(Wire.Round.QUERY.key(sequence), Bytes.wrap(query));
      }
      try {
        Bytes answer = channel.receive(Wire.Round.ANSWER.key(sequence), params.receiveTimeout());
        sequence++;
        lastUse = System.nanoTime();
        Abort.unlessWellFormed(answer.length() > SessionDigest.LENGTH, "ANSWER has " + answer.length() + " bytes");
        Bytes body = answer.slice(0, answer.length() - SessionDigest.LENGTH);
        transcript.absorb(Bytes.wrap(query));
        transcript.absorb(body);
        Abort.unless(
            java.security.MessageDigest.isEqual(
                transcript.snapshot(), answer.slice(body.length(), SessionDigest.LENGTH).toByteArray()),
            ProtocolAbortException.Reason.TRANSCRIPT_MISMATCH,
            "the server's record of this session differs from this party's: a message was altered in transit");
        return finish(item, blinded, body, h);
      } catch (JointlyException e) {
        boolean sessionIntact =
            e instanceof ProtocolAbortException p && p.reason() == ProtocolAbortException.Reason.BUDGET_EXHAUSTED;
        if (!sessionIntact) {
          endSession(); // the next check starts a fresh session
        }
        throw e;
      }
    } finally {
      blinded.blind().destroy();
    }
  }

  private boolean finish(byte[] item, Oprf.Blinded blinded, Bytes answer, CacheHeader h) throws JointlyException {
    int len = oprf.suite().elementLength();
    Abort.unlessWellFormed(answer.length() == 33 || answer.length() == 33 + len, "ANSWER has " + answer.length() + " bytes");
    ByteBuffer b = ByteBuffer.wrap(answer.toByteArray());
    Wire.Status status = Wire.Status.fromWireCode(b.get() & 0xFF);
    long serverVersion = b.getLong();
    long used = b.getLong();
    long limit = b.getLong();
    long resets = b.getLong();
    Abort.unlessWellFormed(status != null, "ANSWER has an unknown status");
    Abort.unlessWellFormed((status == Wire.Status.OK) == (answer.length() == 33 + len), "ANSWER's length disagrees with its status");
    switch (status) {
      case OK -> {
        usage = new Usage(used, limit);
        Bytes element = Bytes.copyOf(b.array(), 33, len);
        return cache.containsOutput(oprf.finalizeOutput(item, blinded.blind(), element));
      }
      case STALE_CACHE -> throw ClientHandshake.staleCache(h, true, true, serverVersion);
      case BUDGET_EXHAUSTED -> {
        usage = new Usage(used, limit);
        throw ClientHandshake.budgetExhausted(params.purpose(), limit, used, resets, 1);
      }
      default -> throw new ProtocolAbortException(
          ProtocolAbortException.Reason.UNEXPECTED_MESSAGE, "ANSWER carries status " + status + " mid-session");
    }
  }

  /** The latest known budget standing (from the handshake or the last check). */
  public synchronized Usage usage() {
    return usage;
  }

  /** The cache checks are looked up in. */
  public OprfCache cache() {
    return cache;
  }

  private boolean needsFreshSession() {
    if (channel == null) {
      return true;
    }
    if (sequence >= server.queriesPerSession()) {
      return true;
    }
    long idle = System.nanoTime() - lastUse;
    return idle > server.idleSeconds() * 500_000_000L; // half the server's idle time-out
  }

  private void connect() throws JointlyException {
    MessageChannel ch = connector.connect();
    SessionDigest digest = new SessionDigest();
    try {
      server = ClientHandshake.run(ch, cache, Wire.Mode.MEMBERSHIP, params, 0, 1, digest);
    } catch (JointlyException | RuntimeException e) {
      ch.close();
      throw e;
    }
    channel = ch;
    transcript = digest;
    sequence = 0;
    lastUse = System.nanoTime();
    usage = new Usage(server.budgetUsed(), server.budgetLimit());
  }

  private void reconnect() throws JointlyException {
    endSession();
    connect();
  }

  private void endSession() {
    MessageChannel ch = channel;
    channel = null;
    if (ch == null) {
      return;
    }
    try {
      ch.send(Wire.Round.QUERY.key(sequence), Bytes.wrap(new byte[] {0}));
    } catch (ChannelException e) {
      // already gone: nothing to end
    } finally {
      ch.close();
    }
  }

  /** Ends the session politely and closes the connection. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      endSession();
      blinds.forEach(io.jointly.oprf.OprfBlind::destroy);
      blinds.clear();
    }
  }

  @Override
  public String toString() {
    return "MembershipClient[" + cache.header().describe() + ", purpose " + params.purpose() + "]";
  }
}
