package io.jointly.psi.unbalanced;

import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.Oprf;
import io.jointly.oprf.OprfBlind;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.pipeline.ChannelOpener;
import io.jointly.psi.pipeline.IdentifierSettings;
import io.jointly.psi.pipeline.PipelineOptions;
import io.jointly.psi.pipeline.PreparedInput;
import io.jointly.psi.pipeline.RowSource;
import io.jointly.psi.pipeline.SharedRowSink;
import io.jointly.psi.pipeline.internal.CheckpointStore;
import io.jointly.psi.pipeline.internal.ExternalSorter;
import io.jointly.psi.pipeline.internal.PreparedSet;
import io.jointly.psi.pipeline.internal.RecordCursor;
import io.jointly.psi.pipeline.internal.RunContext;
import io.jointly.psi.unbalanced.internal.Parallel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The client of unbalanced PSI (the online phase): it learns which of its rows are in the server's
 * set, at a cost in proportion to its own set, against a cache of the server's set it downloaded
 * once ({@link OprfCache}).
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>{@code HELLO}: the client names its cache (key id, encoding, version), its set size, batch
 *       size, minimum server set size and purpose; the server answers with its current cache, its
 *       limits and the client's budget, or refuses (another cache, purpose, budget, sizes). The
 *       server charges the client's set size to its daily budget for the purpose here.
 *   <li>{@code BLINDED}: the client sends {@code r_i·H(x_i)} ({@link Oprf#blind}) for its items in
 *       batches, blinding batch b + 1 on the executor while batch b is on the wire.
 *   <li>{@code EVALUATED}: the server returns {@code k·r_i·H(x_i)} per batch, in order ({@link
 *       Oprf#blindEvaluate}); at most two batches are in flight, so bounded channels never block.
 *   <li>The client unblinds and finalises each answer ({@link Oprf#finalizeAll}: one scalar
 *       inversion per chunk) and looks the output up in the cache.
 *   <li>{@code CONFIRM}: both exchange transcript digests; any message altered in transit aborts
 *       both.
 * </ol>
 *
 * <h2>What each party learns (semi-honest; RFC 9497 §7)</h2>
 *
 * The server learns the client's set size (and its name and purpose), nothing about its items:
 * each blinded element is a uniformly random group element. The client learns which of its items
 * are in the server's set and the server's set size (from the cache), nothing else about the
 * server's set: the cache holds pseudo-random values of items it does not know, and it cannot
 * compute the PRF of anything it did not have evaluated. What a client can learn by bringing
 * guesses as its set is bounded by the server's budget per day and purpose ({@link BudgetLedger}).
 * Mode 0 is not verifiable: a server that evaluates under another key makes every lookup miss
 * (false negatives, never false positives); this protocol does not claim malicious security.
 *
 * <h2>In memory or streamed</h2>
 *
 * {@link #run(PsiInput, OprfCache, MessageChannel)} takes the rows in memory and returns the shared
 * rows as indexes. For a list too large for that, {@link #prepare(RowSource, OprfCache)} reads the
 * rows once through the PSI pipeline ({@link io.jointly.psi.pipeline}: normalised, de-duplicated
 * and spilled to a work directory within the memory budget of {@link #withOptions}) and {@link
 * #run(PreparedInput, OprfCache, ChannelOpener, SharedRowSink)} streams its items through the
 * batches and hands the shared rows, in increasing order, to a sink; memory stays within the budget
 * plus two batches, whatever the list's size. Both send the same messages in the same order; the
 * streamed run sends its items in the pipeline's keyed-hash order, so the server learns nothing of
 * the rows' order either way. A streamed run does not checkpoint: its evaluations are charged at the
 * handshake, so an interrupted run is run again (and charged again).
 *
 * <p>Thread-safety: immutable; {@link #run} may be called concurrently, each call on its own
 * thread and channel.
 */
public final class UnbalancedPsiClient {
  /** The protocol's name in the pipeline's work directories. */
  public static final String PROTOCOL = "oprf-psi";

  private final UnbalancedPsiParameters params;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;
  private final PipelineOptions options;
  private final Oprf oprf = Oprf.RISTRETTO255_SHA512;

  /**
   * @param executor runs blinding and finalisation; never the common pool
   * @param parallelism chunks per batch are {@code 4 · parallelism}
   */
  public UnbalancedPsiClient(UnbalancedPsiParameters params, Executor executor, int parallelism) {
    this(params, executor, parallelism, PsiListener.NONE, new SecureRandom(), PipelineOptions.DEFAULTS);
  }

  private UnbalancedPsiClient(
      UnbalancedPsiParameters params,
      Executor executor,
      int parallelism,
      PsiListener listener,
      SecureRandom random,
      PipelineOptions options) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener);
    this.random = Objects.requireNonNull(random);
    this.options = Objects.requireNonNull(options);
    if (options.checkpointKey().isPresent() || options.resume()) {
      throw new IllegalArgumentException("unbalanced PSI runs do not checkpoint (evaluations are charged at the handshake)");
    }
  }

  /** The same client reporting progress ({@code BLIND_OWN}, {@code MATCH}) to {@code l}. */
  public UnbalancedPsiClient withListener(PsiListener l) {
    return new UnbalancedPsiClient(params, executor, parallelism, l, random, options);
  }

  /** The same client preparing streamed input with {@code o} (memory budget, work directory). */
  public UnbalancedPsiClient withOptions(PipelineOptions o) {
    return new UnbalancedPsiClient(params, executor, parallelism, listener, random, o);
  }

  public UnbalancedPsiParameters parameters() {
    return params;
  }

  /**
   * Runs the online phase against the server on {@code channel}.
   *
   * @throws InputException if this party's input is unusable (before anything is sent), or the
   *     cache is of another server or not the server's current one ({@code CACHE_MISMATCH})
   * @throws ProtocolAbortException if the server refuses (purpose, {@code BUDGET_EXHAUSTED}, sizes)
   *     or misbehaves (invalid elements, wrong sizes, altered transcript)
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public UnbalancedPsiResult run(PsiInput input, OprfCache cache, MessageChannel channel) throws JointlyException {
    CacheHeader h = cache.header();
    ClientItems own =
        ClientItems.prepare(input, h.profile(), h.keyColumns(), params.invalidIdPolicy(), params.duplicatePolicy());
    boolean[] shared = new boolean[own.size()];
    Online r =
        online(
            cache,
            channel,
            own.size(),
            (from, count) -> Arrays.copyOfRange(own.items, from, from + count),
            position -> shared[(int) position] = true);
    RowIndexes rows = own.rowsOf(shared);
    return new UnbalancedPsiResult(
        Optional.of(rows),
        rows.size(),
        r.matched,
        own.size(),
        h.count(),
        new PsiResult.InputSummary(input.rowCount(), own.invalidRowsSkipped, own.duplicateRows),
        h,
        r.server.budgetUsed(),
        r.server.budgetLimit(),
        r.traffic,
        r.elapsed);
  }

  /**
   * Reads and prepares this party's rows for a streamed run, normalised by the cache's profile, in
   * one pass within the memory budget, before any connection.
   *
   * @throws InputException naming the first bad row (never its value), a malformed source or an
   *     unusable work directory; {@code INVALID_INPUT} if the key columns differ from the cache's
   */
  public PreparedInput prepare(RowSource source, OprfCache cache) throws InputException {
    CacheHeader h = cache.header();
    IdentifierSettings settings =
        new IdentifierSettings(h.profile(), h.keyColumns(), params.invalidIdPolicy(), params.duplicatePolicy());
    return PreparedInput.prepare(
        source, settings, binding(h), options, executor, parallelism, listener, random);
  }

  /**
   * The streamed form of the online phase: this party's prepared items go through the batches as
   * they are read, on a channel from {@code opener} (closed by the run), and its shared rows go to
   * {@code sink} in increasing order. The result carries counts, not rows. The work directory is
   * deleted when the run ends, whatever the outcome.
   *
   * @throws InputException if the work directory fails or the sink's output cannot be written, or
   *     the cache is of another server or not the server's current one ({@code CACHE_MISMATCH})
   * @throws ProtocolAbortException if the server refuses or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public UnbalancedPsiResult run(PreparedInput prepared, OprfCache cache, ChannelOpener opener, SharedRowSink sink)
      throws JointlyException {
    Objects.requireNonNull(sink, "sink");
    CacheHeader h = cache.header();
    RunContext ctx = prepared.context();
    long distinct = ctx.set.size();
    if (distinct > UnbalancedPsiParameters.MAX_SET_SIZE) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "more than " + UnbalancedPsiParameters.MAX_SET_SIZE + " items");
    }
    int n = (int) distinct;
    long work = ctx.budget.workArea();
    byte[] rec = new byte[16];
    long sharedRows = 0;
    Online r;
    try (PreparedSet.ItemReader items = ctx.set.items();
        ExternalSorter matched = new ExternalSorter("matched", ctx.dir, ctx.budget, 16, 8, work, executor, parallelism);
        ExternalSorter shared = new ExternalSorter("shared", ctx.dir, ctx.budget, 8, 8, work, executor, parallelism);
        MessageChannel channel = opener.open()) {
      r =
          online(
              cache,
              channel,
              n,
              (from, count) -> {
                byte[][] batch = new byte[count][];
                for (int i = 0; i < count; i++) {
                  batch[i] = items.next();
                }
                return batch;
              },
              position -> {
                putLong(rec, 0, position);
                putLong(rec, 8, 0);
                matched.add(rec, 0, 16);
              });
      listener.onProgress(PsiListener.Stage.JOIN, 0, r.matched);
      try (RecordCursor c = matched.sorted()) {
        byte[] row = new byte[8];
        ctx.set.emitRows(
            c,
            (own, peer, first) -> {
              putLong(row, 0, own);
              shared.add(row, 0, 8);
            });
      }
      try (RecordCursor c = shared.sorted()) {
        while (c.next()) {
          sink.accept(getLong(c.buffer(), c.offset()));
          sharedRows++;
        }
      }
      listener.onProgress(PsiListener.Stage.JOIN, r.matched, r.matched);
    } catch (IOException e) {
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "the run's work files or output failed: " + e.getMessage(), e);
    } finally {
      prepared.close();
    }
    return new UnbalancedPsiResult(
        Optional.empty(),
        sharedRows,
        r.matched,
        n,
        h.count(),
        new PsiResult.InputSummary(ctx.set.rowCount(), ctx.set.invalidSkipped(), ctx.set.duplicateRows()),
        h,
        r.server.budgetUsed(),
        r.server.budgetLimit(),
        r.traffic,
        r.elapsed);
  }

  private CheckpointStore.Binding binding(CacheHeader h) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(
          (PROTOCOL + "|" + h.profile().displayName() + "|" + h.keyColumns() + "|" + params.invalidIdPolicy() + "|"
                  + params.duplicatePolicy() + "|" + params.batchSize())
              .getBytes(StandardCharsets.UTF_8));
      return new CheckpointStore.Binding(PROTOCOL, io.jointly.psi.PsiRole.BANK.wireCode(), Bytes.wrap(d.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** The client's items, a batch at a time, in position order. */
  @FunctionalInterface
  private interface BatchSource {
    byte[][] next(int from, int count) throws IOException;
  }

  /** Positions of items found in the cache, in increasing order, on the protocol thread. */
  @FunctionalInterface
  private interface MatchSink {
    void matched(long position) throws IOException;
  }

  /** What the online exchange gave. */
  private record Online(ServerHello server, long matched, io.jointly.channel.ChannelStats traffic, Duration elapsed) {}

  /**
   * The online phase over {@code n} items (steps 1–5 of the class comment): batch b + 1 is read and
   * blinded while batch b is on the wire, at most two batches in flight.
   */
  private Online online(OprfCache cache, MessageChannel channel, int n, BatchSource source, MatchSink sink)
      throws JointlyException {
    CacheHeader h = cache.header();
    long start = System.nanoTime();
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    ServerHello server = ClientHandshake.run(tx, cache, Wire.Mode.BATCH, params, n, params.batchSize());
    listener.onHandshake(n, h.count());
    listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, n);
    listener.onProgress(PsiListener.Stage.MATCH, 0, n);

    int batch = params.batchSize();
    int batches = (n + batch - 1) / batch;
    Duration timeout = params.receiveTimeout();
    int len = oprf.suite().elementLength();
    Blinded[] inFlight = new Blinded[batches];
    try {
      CompletableFuture<Blinded> next = batches > 0 ? blindAsync(source.next(0, count(n, batch, 0)), 0) : null;
      long matched = 0;
      for (int b = 0; b < batches; b++) {
        Blinded current = Parallel.join(next);
        next = b + 1 < batches ? blindAsync(source.next((b + 1) * batch, count(n, batch, b + 1)), (b + 1) * batch) : null;
        tx.send(Wire.Round.BLINDED.key(b), Wire.encodeBatch(current.elements, current.blinds.length, len));
        inFlight[b] = current;
        listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) b * batch + current.blinds.length, n);
        if (b >= 1) {
          matched += receiveAndMatch(tx, cache, inFlight[b - 1], b - 1, sink, timeout);
          inFlight[b - 1] = null;
          listener.onProgress(PsiListener.Stage.MATCH, (long) b * batch, n);
        }
      }
      if (batches > 0) {
        matched += receiveAndMatch(tx, cache, inFlight[batches - 1], batches - 1, sink, timeout);
        inFlight[batches - 1] = null;
        listener.onProgress(PsiListener.Stage.MATCH, n, n);
      }
      tx.confirm(Wire.Round.CONFIRM.key(0), timeout);
      return new Online(server, matched, counting.stats(), Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new InputException(
          InputException.Kind.WORK_DIR, -1, "the run's work files failed: " + e.getMessage(), e);
    } finally {
      for (Blinded left : inFlight) {
        if (left != null) {
          for (OprfBlind blind : left.blinds) {
            if (blind != null) {
              blind.destroy();
            }
          }
        }
      }
    }
  }

  /** One batch's items, blinds (secret, kept until its answer is finalised) and elements. */
  private record Blinded(int from, byte[][] items, OprfBlind[] blinds, byte[] elements) {}

  private static int count(int n, int batch, int b) {
    return Math.min(batch, n - b * batch);
  }

  private CompletableFuture<Blinded> blindAsync(byte[][] items, int from) {
    int count = items.length;
    OprfBlind[] blinds = new OprfBlind[count];
    byte[] elements = new byte[count * oprf.suite().elementLength()];
    return Parallel.forChunks(
            count,
            parallelism,
            executor,
            (s, c) -> {
              for (int i = s; i < s + c; i++) {
                Oprf.Blinded b = oprf.blind(items[i], random);
                blinds[i] = b.blind();
                b.element().copyTo(elements, i * oprf.suite().elementLength());
              }
            })
        .thenApply(v -> new Blinded(from, items, blinds, elements));
  }

  /** Receives the server's answer to batch {@code b}, finalises it and reports the shared items. */
  private int receiveAndMatch(
      MessageChannel tx, OprfCache cache, Blinded sent, int b, MatchSink sink, Duration timeout)
      throws JointlyException, IOException {
    int count = sent.blinds.length;
    int len = oprf.suite().elementLength();
    byte[] evaluated = Wire.decodeBatch(tx.receive(Wire.Round.EVALUATED.key(b), timeout), count, len, "EVALUATED", b);
    boolean[] hit = new boolean[count];
    Parallel.join(
        Parallel.forChunks(
            count,
            parallelism,
            executor,
            (s, c) -> {
              byte[][] inputs = Arrays.copyOfRange(sent.items, s, s + c);
              OprfBlind[] blinds = Arrays.copyOfRange(sent.blinds, s, s + c);
              Bytes[] elements = new Bytes[c];
              for (int i = 0; i < c; i++) {
                elements[i] = Bytes.copyOf(evaluated, (s + i) * len, len);
              }
              Bytes[] outputs = oprf.finalizeAll(inputs, blinds, elements);
              for (int i = 0; i < c; i++) {
                hit[s + i] = cache.containsOutput(outputs[i]);
                blinds[i].destroy();
              }
            }));
    int hits = 0;
    for (int i = 0; i < count; i++) {
      if (hit[i]) {
        sink.matched((long) sent.from + i);
        hits++;
      }
    }
    return hits;
  }
}
