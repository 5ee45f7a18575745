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
import io.jointly.psi.unbalanced.internal.Parallel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
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
 * <p>Thread-safety: immutable; {@link #run} may be called concurrently, each call on its own
 * thread and channel.
 */
public final class UnbalancedPsiClient {
  private final UnbalancedPsiParameters params;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;
  private final Oprf oprf = Oprf.RISTRETTO255_SHA512;

  /**
   * @param executor runs blinding and finalisation; never the common pool
   * @param parallelism chunks per batch are {@code 4 · parallelism}
   */
  public UnbalancedPsiClient(UnbalancedPsiParameters params, Executor executor, int parallelism) {
    this(params, executor, parallelism, PsiListener.NONE, new SecureRandom());
  }

  private UnbalancedPsiClient(
      UnbalancedPsiParameters params, Executor executor, int parallelism, PsiListener listener, SecureRandom random) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener);
    this.random = Objects.requireNonNull(random);
  }

  /** The same client reporting progress ({@code BLIND_OWN}, {@code MATCH}) to {@code l}. */
  public UnbalancedPsiClient withListener(PsiListener l) {
    return new UnbalancedPsiClient(params, executor, parallelism, l, random);
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
    long start = System.nanoTime();
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    int n = own.size();
    ServerHello server = ClientHandshake.run(tx, cache, Wire.Mode.BATCH, params, n, params.batchSize());
    listener.onHandshake(n, h.count());
    listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, n);
    listener.onProgress(PsiListener.Stage.MATCH, 0, n);

    int batch = params.batchSize();
    int batches = (n + batch - 1) / batch;
    boolean[] shared = new boolean[n];
    Duration timeout = params.receiveTimeout();
    int len = oprf.suite().elementLength();
    Blinded[] inFlight = new Blinded[batches];
    CompletableFuture<Blinded> next = batches > 0 ? blindAsync(own.items, 0, count(n, batch, 0)) : null;
    long matched = 0;
    for (int b = 0; b < batches; b++) {
      Blinded current = Parallel.join(next);
      next = b + 1 < batches ? blindAsync(own.items, (b + 1) * batch, count(n, batch, b + 1)) : null;
      tx.send(Wire.Round.BLINDED.key(b), Wire.encodeBatch(current.elements, current.blinds.length, len));
      inFlight[b] = current;
      listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) b * batch + current.blinds.length, n);
      if (b >= 1) {
        matched += receiveAndMatch(tx, cache, own, inFlight, b - 1, shared, timeout);
        inFlight[b - 1] = null;
        listener.onProgress(PsiListener.Stage.MATCH, (long) b * batch, n);
      }
    }
    if (batches > 0) {
      matched += receiveAndMatch(tx, cache, own, inFlight, batches - 1, shared, timeout);
      inFlight[batches - 1] = null;
      listener.onProgress(PsiListener.Stage.MATCH, n, n);
    }
    tx.confirm(Wire.Round.CONFIRM.key(0), timeout);
    return new UnbalancedPsiResult(
        own.rowsOf(shared),
        matched,
        n,
        h.count(),
        new PsiResult.InputSummary(input.rowCount(), own.invalidRowsSkipped, own.duplicateRows),
        h,
        server.budgetUsed(),
        server.budgetLimit(),
        counting.stats(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** One batch's blinds (secret, kept until its answer is finalised) and elements. */
  private record Blinded(int from, OprfBlind[] blinds, byte[] elements) {}

  private static int count(int n, int batch, int b) {
    return Math.min(batch, n - b * batch);
  }

  private CompletableFuture<Blinded> blindAsync(byte[][] items, int from, int count) {
    OprfBlind[] blinds = new OprfBlind[count];
    byte[] elements = new byte[count * oprf.suite().elementLength()];
    return Parallel.forChunks(
            count,
            parallelism,
            executor,
            (s, c) -> {
              for (int i = s; i < s + c; i++) {
                Oprf.Blinded b = oprf.blind(items[from + i], random);
                blinds[i] = b.blind();
                b.element().copyTo(elements, i * oprf.suite().elementLength());
              }
            })
        .thenApply(v -> new Blinded(from, blinds, elements));
  }

  /** Receives the server's answer to batch {@code b}, finalises it and marks the shared items. */
  private int receiveAndMatch(
      MessageChannel tx,
      OprfCache cache,
      ClientItems own,
      Blinded[] inFlight,
      int b,
      boolean[] shared,
      Duration timeout)
      throws JointlyException {
    Blinded sent = inFlight[b];
    int count = sent.blinds.length;
    int len = oprf.suite().elementLength();
    byte[] evaluated = Wire.decodeBatch(tx.receive(Wire.Round.EVALUATED.key(b), timeout), count, len, "EVALUATED", b);
    int[] hits = new int[1];
    Parallel.join(
        Parallel.forChunks(
            count,
            parallelism,
            executor,
            (s, c) -> {
              byte[][] inputs = new byte[c][];
              OprfBlind[] blinds = new OprfBlind[c];
              Bytes[] elements = new Bytes[c];
              for (int i = 0; i < c; i++) {
                inputs[i] = own.items[sent.from + s + i];
                blinds[i] = sent.blinds[s + i];
                elements[i] = Bytes.copyOf(evaluated, (s + i) * len, len);
              }
              Bytes[] outputs = oprf.finalizeAll(inputs, blinds, elements);
              int local = 0;
              for (int i = 0; i < c; i++) {
                if (cache.containsOutput(outputs[i])) {
                  shared[sent.from + s + i] = true;
                  local++;
                }
                blinds[i].destroy();
              }
              synchronized (hits) {
                hits[0] += local;
              }
            }));
    return hits[0];
  }
}
