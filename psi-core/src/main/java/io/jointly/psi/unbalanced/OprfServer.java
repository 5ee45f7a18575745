package io.jointly.psi.unbalanced;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.Oprf;
import io.jointly.oprf.OprfKey;
import io.jointly.psi.unbalanced.internal.Parallel;
import io.jointly.psi.unbalanced.internal.SessionDeadline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The server of unbalanced PSI and membership checks: it holds the OPRF key (in its {@link
 * OprfServerStore}) and evaluates blinded elements for authenticated clients, within each client's
 * daily budget per purpose ({@link BudgetLedger}). One {@link #serve} call runs one session, in the
 * mode the client's hello asks for:
 *
 * <ul>
 *   <li><b>batch</b> (unbalanced PSI, see {@link UnbalancedPsiClient}): the client's set size is
 *       charged at the handshake, batches are evaluated in chunks on the executor, and the session
 *       ends with transcript confirmation;
 *   <li><b>membership</b> (see {@link MembershipClient}): each {@code QUERY i} carries one blinded
 *       element (or the end of the session) and is answered by {@code ANSWER i}: the evaluated
 *       element, or a refusal ({@code BUDGET_EXHAUSTED}, {@code STALE_CACHE}) that counts nothing
 *       and leaves the session open, followed by the server's running digest of the session
 *       ({@link SessionDigest}) so the client detects any message altered in transit. Each query is charged one evaluation before it is evaluated.
 *       The session ends when the client says so, after {@link
 *       OprfServerParameters#idleTimeout()} without a query, or after {@link
 *       OprfServerParameters#queriesPerSession()} queries.
 * </ul>
 *
 * <p>Before anything is evaluated, the hello is checked: version, mode, suite, profile and key
 * columns; that the client's cache is the server's current one (key id, encoding, version); the
 * purpose; the sizes against both parties' limits; and the budget. A refusal is sent as the
 * server's hello and ends the session. Every received element is validated ({@link
 * Oprf#blindEvaluate}: non-canonical, invalid and identity elements abort the session with {@code
 * INVALID_ELEMENT}). A client that vanishes or stays silent costs the server one waiting thread for
 * at most 30 s before its hello, the receive time-out in a batch run, or the idle time-out between
 * membership queries; a closed or reset connection ends the session at once, and the transport's
 * heartbeats and keep-alive notice a dead peer within its own bound. The hello and the idle
 * time-out are wall-clock bounds ({@code SessionDeadline}, which closes the channel): a client
 * that stays connected and alive but asks nothing is not "busy" for them, unlike a batch client
 * that computes between batches, which is waited for as long as its transport shows it at work.
 *
 * <p>What the server learns: the client's name (from its certificate), purpose, and how many
 * elements it asked for — never anything about the items, since every blinded element is uniformly
 * random. What the listener reports, and so what the log can contain, is limited to exactly that.
 *
 * <p>Thread-safety: immutable; any number of sessions may be served concurrently, each on its own
 * thread.
 */
public final class OprfServer {
  /** Why a session ended (for the log). */
  public enum Ending {
    /** A batch run completed, or the client ended its membership session. */
    COMPLETED,
    /** The hello was refused. */
    REFUSED,
    /** No query within the idle time-out. */
    IDLE,
    /** The session reached its number of queries. */
    SESSION_LIMIT,
    /** The client closed the channel without ending the session. */
    CLIENT_GONE
  }

  /**
   * One session's account.
   *
   * @param client the client's party name
   * @param purpose its purpose ({@code null} if the hello could not be read)
   * @param batch whether it was a batch run
   * @param evaluations evaluations granted in the session
   * @param ending why it ended
   */
  public record SessionSummary(String client, Purpose purpose, boolean batch, long evaluations, Ending ending) {}

  private final OprfServerStore store;
  private final BudgetLedger ledger;
  private final OprfServerParameters params;
  private final Executor executor;
  private final int parallelism;
  private final OprfServerListener listener;
  private final Oprf oprf = Oprf.RISTRETTO255_SHA512;

  /**
   * @param store the key and current cache
   * @param ledger the budgets and counts
   * @param executor evaluates batches; never the common pool
   * @param parallelism chunks per batch are {@code 4 · parallelism}
   */
  public OprfServer(
      OprfServerStore store, BudgetLedger ledger, OprfServerParameters params, Executor executor, int parallelism) {
    this(store, ledger, params, executor, parallelism, OprfServerListener.NONE);
  }

  private OprfServer(
      OprfServerStore store,
      BudgetLedger ledger,
      OprfServerParameters params,
      Executor executor,
      int parallelism,
      OprfServerListener listener) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.store = Objects.requireNonNull(store);
    this.ledger = Objects.requireNonNull(ledger);
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener);
  }

  /** The same server reporting to {@code l}. */
  public OprfServer withListener(OprfServerListener l) {
    return new OprfServer(store, ledger, params, executor, parallelism, l);
  }

  public OprfServerParameters parameters() {
    return params;
  }

  /**
   * Serves one session on {@code channel} (the caller closes it afterwards).
   *
   * @throws ProtocolAbortException if the client sent something invalid
   * @throws ChannelException if the channel failed during a batch run (a membership session that
   *     the client closes or leaves idle ends normally)
   * @throws InputException if the server's own state cannot be read (no encoded set, damaged
   *     files, a key that cannot be unsealed)
   */
  public SessionSummary serve(MessageChannel channel) throws JointlyException {
    String client = channel.peer();
    TranscriptChannel tx = new TranscriptChannel(channel);
    Bytes helloBytes;
    SessionDeadline helloDeadline = SessionDeadline.arm(channel, helloTimeout());
    try {
      helloBytes = tx.receive(Wire.Round.HELLO.key(0), helloTimeout());
    } catch (ChannelException e) {
      if (helloDeadline.expired()) {
        throw new ChannelException(ChannelException.Kind.TIMEOUT, "no hello from " + client + " within " + helloTimeout());
      }
      throw e;
    } finally {
      helloDeadline.close();
    }
    ClientHello hello = ClientHello.decode(helloBytes);
    OprfServerStore.Snapshot snapshot = snapshot();
    CacheHeader h = snapshot.header();
    if (hello.mode() == Wire.Mode.FETCH) {
      return serveFetch(tx, client, hello, helloBytes, snapshot);
    }
    boolean batch = hello.mode() == Wire.Mode.BATCH;
    Wire.Status status = check(hello, h);
    BudgetLedger.Charge charge = null;
    if (status == Wire.Status.OK) {
      charge = charge(client, hello.purpose(), batch ? hello.setSize() : 0);
      status = switch (charge.outcome()) {
        case GRANTED -> Wire.Status.OK;
        case EXHAUSTED -> Wire.Status.BUDGET_EXHAUSTED;
        case NOT_SERVED -> Wire.Status.PURPOSE_REFUSED;
      };
    }
    long used = charge == null ? ledger.used(client, hello.purpose()) : charge.used();
    long limit = charge == null ? ledger.budgets().dailyLimit(client, hello.purpose()).orElse(0) : charge.limit();
    long resets = charge == null ? 0 : charge.resetsAt().getEpochSecond();
    ServerHello answer =
        new ServerHello(
            ClientHello.VERSION, hello.mode(), status, h.suite(), h.profile(), h.keyColumns(), h.keyId(), h.lineage(),
            h.version(), h.count(), params.minClientSetSize(), params.maxBatchSize(), limit, used, resets,
            (int) params.idleTimeout().toSeconds(), params.queriesPerSession(), params.maxClientSetSize());
    Bytes answerBytes = answer.encode();
    tx.send(Wire.Round.HELLO.key(0), answerBytes);
    listener.onSession(client, hello.purpose(), batch, status == Wire.Status.OK ? "" : refusal(status));
    if (status != Wire.Status.OK) {
      listener.onSessionEnd(client, hello.purpose(), 0, Ending.REFUSED);
      return new SessionSummary(client, hello.purpose(), batch, 0, Ending.REFUSED);
    }
    if (batch) {
      if (hello.setSize() > 0) {
        listener.onEvaluations(client, hello.purpose(), hello.setSize(), charge.used(), charge.limit());
      }
      serveBatch(tx, hello, snapshot.key());
      listener.onSessionEnd(client, hello.purpose(), hello.setSize(), Ending.COMPLETED);
      return new SessionSummary(client, hello.purpose(), true, hello.setSize(), Ending.COMPLETED);
    }
    SessionDigest transcript = new SessionDigest();
    transcript.absorb(helloBytes);
    transcript.absorb(answerBytes);
    return serveMembership(channel, client, hello, transcript);
  }

  /**
   * A download: the deltas from the client's version to the current one if the store holds them
   * all, else the whole current cache. No evaluation, so no budget: the cache alone reveals the
   * set size only. The files go out as they are on disk, in chunks of at most 4 MiB.
   */
  private SessionSummary serveFetch(
      TranscriptChannel tx, String client, ClientHello hello, Bytes helloBytes, OprfServerStore.Snapshot snapshot)
      throws JointlyException {
    CacheHeader h = snapshot.header();
    List<Path> files = new ArrayList<>();
    boolean full = true;
    if (hello.keyId().equals(h.keyId()) && hello.lineage().equals(h.lineage()) && hello.cacheVersion() <= h.version()) {
      for (long v = hello.cacheVersion() + 1; v <= h.version(); v++) {
        Optional<Path> d = store.delta(h.lineage(), v);
        if (d.isEmpty()) {
          files.clear();
          break;
        }
        files.add(d.get());
      }
      full = files.size() != h.version() - hello.cacheVersion();
    }
    if (full) {
      files = List.of(snapshot.cacheFile());
    }
    ServerHello answer =
        new ServerHello(
            ClientHello.VERSION, Wire.Mode.FETCH, Wire.Status.OK, h.suite(), h.profile(), h.keyColumns(), h.keyId(),
            h.lineage(), h.version(), h.count(), params.minClientSetSize(), params.maxBatchSize(), 0, 0, 0,
            (int) params.idleTimeout().toSeconds(), params.queriesPerSession(), params.maxClientSetSize());
    tx.send(Wire.Round.HELLO.key(0), answer.encode());
    listener.onSession(client, hello.purpose(), false, "");
    try {
      ByteBuffer plan = ByteBuffer.allocate(5 + 8 * files.size());
      plan.put((byte) (full ? 1 : 0)).putInt(files.size());
      for (Path f : files) {
        plan.putLong(Files.size(f));
      }
      tx.send(Wire.Round.FETCH_PLAN.key(0), Bytes.wrap(plan.array()));
      int chunk = 0;
      byte[] buf = new byte[Wire.FETCH_CHUNK];
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          for (int n = in.readNBytes(buf, 0, buf.length); n > 0; n = in.readNBytes(buf, 0, buf.length)) {
            tx.send(Wire.Round.FETCH_DATA.key(chunk++), Bytes.copyOf(buf, 0, n));
          }
        }
      }
    } catch (IOException e) {
      throw new InputException(InputException.Kind.INVALID_INPUT, -1, "the server's cache files cannot be read: " + e.getMessage());
    }
    tx.confirm(Wire.Round.CONFIRM.key(0), params.receiveTimeout());
    listener.onSessionEnd(client, hello.purpose(), 0, Ending.COMPLETED);
    return new SessionSummary(client, hello.purpose(), false, 0, Ending.COMPLETED);
  }

  /** A connected client that says nothing holds its session no longer than this: 30 s at most. */
  private Duration helloTimeout() {
    Duration cap = Duration.ofSeconds(30);
    return params.receiveTimeout().compareTo(cap) < 0 ? params.receiveTimeout() : cap;
  }

  private Wire.Status check(ClientHello hello, CacheHeader h) {
    if (hello.suite() != h.suite() || hello.profile() != h.profile() || hello.keyColumns() != h.keyColumns()) {
      return Wire.Status.MISMATCH;
    }
    if (!matches(hello, h)) {
      return Wire.Status.STALE_CACHE;
    }
    if (h.count() < hello.minServerSetSize()) {
      return Wire.Status.SERVER_SET_REFUSED;
    }
    if (hello.mode() == Wire.Mode.BATCH) {
      if (hello.setSize() < params.minClientSetSize() || hello.setSize() > params.maxClientSetSize()) {
        return Wire.Status.CLIENT_SET_REFUSED;
      }
      if (hello.batchSize() > params.maxBatchSize()) {
        return Wire.Status.BATCH_REFUSED;
      }
    }
    return Wire.Status.OK;
  }

  private static boolean matches(ClientHello hello, CacheHeader h) {
    return hello.keyId().equals(h.keyId()) && hello.lineage().equals(h.lineage()) && hello.cacheVersion() == h.version();
  }

  private static String refusal(Wire.Status s) {
    return switch (s) {
      case OK -> "";
      case MISMATCH -> "version, mode, suite, profile or key columns differ";
      case STALE_CACHE -> "the client's cache is not the current one";
      case PURPOSE_REFUSED -> "purpose not served to this client";
      case BUDGET_EXHAUSTED -> "daily budget exhausted";
      case CLIENT_SET_REFUSED -> "client set size outside the server's bounds";
      case SERVER_SET_REFUSED -> "server set below the client's minimum";
      case BATCH_REFUSED -> "batch size above the server's maximum";
    };
  }

  private void serveBatch(TranscriptChannel tx, ClientHello hello, OprfKey key) throws JointlyException {
    long n = hello.setSize();
    int batch = hello.batchSize();
    int batches = (int) ((n + batch - 1) / batch);
    int len = oprf.suite().elementLength();
    for (int b = 0; b < batches; b++) {
      int count = (int) Math.min(batch, n - (long) b * batch);
      byte[] in = Wire.decodeBatch(tx.receive(Wire.Round.BLINDED.key(b), params.receiveTimeout()), count, len, "BLINDED", b);
      byte[] out = new byte[count * len];
      try {
        Parallel.join(
            Parallel.forChunks(
                count, parallelism, executor, (s, c) -> oprf.blindEvaluate(key, in, s * len, c, out, s * len)));
      } catch (InputException e) {
        throw new IllegalStateException("evaluating a blinded element raises no input error", e);
      }
      tx.send(Wire.Round.EVALUATED.key(b), Wire.encodeBatch(out, count, len));
    }
    tx.confirm(Wire.Round.CONFIRM.key(0), params.receiveTimeout());
  }

  private SessionSummary serveMembership(
      MessageChannel channel, String client, ClientHello hello, SessionDigest transcript) throws JointlyException {
    Purpose purpose = hello.purpose();
    long evaluations = 0;
    Ending ending = Ending.SESSION_LIMIT;
    int len = oprf.suite().elementLength();
    for (int i = 0; i < params.queriesPerSession(); i++) {
      Bytes query;
      SessionDeadline idle = SessionDeadline.arm(channel, params.idleTimeout());
      try {
        query = channel.receive(Wire.Round.QUERY.key(i), params.idleTimeout());
      } catch (ChannelException e) {
        ending = idle.expired() || e.kind() == ChannelException.Kind.TIMEOUT ? Ending.IDLE : Ending.CLIENT_GONE;
        break;
      } finally {
        idle.close();
      }
      Abort.unlessWellFormed(query.length() >= 1, "QUERY " + i + " is empty");
      int op = query.get(0);
      if (op == 0) {
        Abort.unlessWellFormed(query.length() == 1, "QUERY " + i + " ends the session but carries data");
        ending = Ending.COMPLETED;
        break;
      }
      Abort.unlessWellFormed(op == 1 && query.length() == 1 + len, "QUERY " + i + " has " + query.length() + " bytes");
      OprfServerStore.Snapshot s = snapshot();
      CacheHeader h = s.header();
      Wire.Status status;
      BudgetLedger.Charge charge = null;
      if (!matches(hello, h)) {
        status = Wire.Status.STALE_CACHE;
        listener.onQueryRefused(client, purpose, "the server's set changed since the session began");
      } else {
        charge = charge(client, purpose, 1);
        status = switch (charge.outcome()) {
          case GRANTED -> Wire.Status.OK;
          case EXHAUSTED -> Wire.Status.BUDGET_EXHAUSTED;
          case NOT_SERVED -> Wire.Status.PURPOSE_REFUSED;
        };
        if (status != Wire.Status.OK) {
          listener.onQueryRefused(client, purpose, refusal(status));
        }
      }
      transcript.absorb(query);
      byte[] body = new byte[1 + 4 * 8 + (status == Wire.Status.OK ? len : 0)];
      ByteBuffer b = ByteBuffer.wrap(body);
      b.put((byte) status.wireCode)
          .putLong(h.version())
          .putLong(charge == null ? 0 : charge.used())
          .putLong(charge == null ? 0 : charge.limit())
          .putLong(charge == null ? 0 : charge.resetsAt().getEpochSecond());
      if (status == Wire.Status.OK) {
        Bytes element = query.slice(1, len);
        b.put(oprf.blindEvaluate(s.key(), element).toByteArray());
        evaluations++;
        listener.onEvaluations(client, purpose, 1, charge.used(), charge.limit());
      }
      transcript.absorb(Bytes.wrap(body));
      byte[] answer = java.util.Arrays.copyOf(body, body.length + SessionDigest.LENGTH);
      System.arraycopy(transcript.snapshot(), 0, answer, body.length, SessionDigest.LENGTH);
      channel.send(Wire.Round.ANSWER.key(i), Bytes.wrap(answer));
    }
    listener.onSessionEnd(client, purpose, evaluations, ending);
    return new SessionSummary(client, purpose, false, evaluations, ending);
  }

  private OprfServerStore.Snapshot snapshot() throws InputException {
    try {
      return store.current();
    } catch (IOException e) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "the server's state cannot be read: " + e.getMessage());
    }
  }

  private BudgetLedger.Charge charge(String client, Purpose purpose, long count) throws InputException {
    try {
      return ledger.charge(client, purpose, count);
    } catch (IOException e) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "the budget ledger cannot be written: " + e.getMessage());
    }
  }
}
