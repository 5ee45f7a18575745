package io.jointly.psi.ic;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ChannelException;
import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RowIndexes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One party of ECDH-PSI as the interconnection standard defines it (隐私计算互联互通, CAICT PPCA
 * 9—2023 §5; spec {@code interconnection-ecdh-psi.md}), so that a Jointly party can run PSI with a
 * SecretFlow party or any other conformant platform. Transport-neutral: it runs over an {@link
 * IcLink}, which the {@code transport} module implements with the standard's protobuf messages
 * and white-box transport.
 *
 * <h2>Protocol (spec §1, §5)</h2>
 *
 * With {@code H} the suite's hash to the curve and {@code k} this party's fresh scalar:
 *
 * <ol>
 *   <li>Handshake (§4): rank 1 sends its proposal, rank 0 decides ({@link IcHandshake#decide}) and
 *       answers; a refusal ends both runs. The agreement fixes the suite, the truncation and {@code
 *       result_to_rank}.
 *   <li>Three activities run at once (the reference's {@code MaskSelf}, {@code MaskPeer} and {@code
 *       RecvDualMaskedSelf}):
 *       <ul>
 *         <li>send {@code k·H(x)} for every own item, in batches of {@link
 *             IcParameters#batchSize} ("enc", indexes 0, 1, ...), in a fresh random order, then an
 *             empty terminating batch;
 *         <li>receive the peer's "enc" batches; compute {@code k·Q} for each value; keep them if
 *             this party learns the result; if the peer learns it, answer batch i with "dual.enc"
 *             batch i holding the same values' second-stage encodings, truncated, in the same
 *             order; answer the peer's terminator with a terminator;
 *         <li>if this party learns the result, receive the "dual.enc" answers to its own batches:
 *             value j of their concatenation belongs to own sent item j.
 *       </ul>
 *   <li>A party that learns marks its item shared iff the value returned for it equals the last
 *       {@code L} bytes of one of its own second-stage values of the peer's items, where {@code L}
 *       is the length the peer sent (12 from the reference; any of 12, the element length or the
 *       agreed truncation is accepted).
 * </ol>
 *
 * <h2>What each party learns (semi-honest peer)</h2>
 *
 * Both: the number of first-stage values the other sent (its set size), and what the handshake
 * carries (its stated item count). With {@code result_to_rank = -1} both learn which of their own
 * rows are shared; with {@code r} only rank r does, and the other party learns nothing more.
 * Unlike Jointly's own protocol there is no transcript confirmation (the standard has none): a
 * tampered message is caught only by TLS, and there is no "count only" mode. Own items are sent in
 * a random order, so a peer that learns which of its values matched does not learn which of this
 * party's rows they came from (the reference sends rows in file order). Guardrail: if the peer
 * learns the result, this party answers none of its items until it has sent at least {@link
 * IcParameters#minPeerSetSize} of them (refused in the handshake if it says it has fewer).
 *
 * <p>Thread-safety: an instance is immutable; {@link #run} blocks its caller, runs the three
 * activities on threads of its own and the group operations on the given executor.
 */
public final class InterconnectionPsi {
  /**
   * The largest {@code count} accepted in a received batch (2^20; the reference sends 4,096): keeps
   * {@code count × element length} far from overflow before the length check.
   */
  static final int MAX_RECEIVED_COUNT = 1 << 20;

  private final IcParameters params;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;
  private final EcdhGroup group;

  /**
   * @param params this party's configuration
   * @param executor runs the group operations; never the common pool
   * @param parallelism how many pieces to split each batch into (usually the executor's threads)
   */
  public InterconnectionPsi(IcParameters params, Executor executor, int parallelism) {
    this(params, executor, parallelism, PsiListener.NONE, new SecureRandom());
  }

  private InterconnectionPsi(
      IcParameters params, Executor executor, int parallelism, PsiListener listener, SecureRandom random) {
    this.params = Objects.requireNonNull(params, "params");
    this.executor = Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.random = Objects.requireNonNull(random, "random");
    this.group = EcdhGroups.create(params.suite());
  }

  /** The same party reporting progress to {@code listener}. */
  public InterconnectionPsi withListener(PsiListener listener) {
    return new InterconnectionPsi(params, executor, parallelism, listener, random);
  }

  /**
   * The same party drawing its scalar and its send order from {@code random}: for known-answer
   * runs in tests only (a seeded or scripted source makes the messages reproducible). Production
   * code uses the {@link SecureRandom} of the constructor.
   */
  public InterconnectionPsi withRandomness(SecureRandom random) {
    return new InterconnectionPsi(params, executor, parallelism, listener, random);
  }

  public IcParameters parameters() {
    return params;
  }

  /**
   * Turns this party's rows into its items ({@link IcInput}), before any connection.
   *
   * @throws InputException naming the first bad row (never its value)
   */
  public IcInput prepare(PsiInput input) throws InputException {
    return IcInput.prepare(input, params);
  }

  /**
   * Runs the handshake and the data phase with the peer on {@code link}. The transport's own end
   * of the run (the reference's FIN exchange) is the caller's: see the {@code transport} module.
   *
   * @throws ProtocolAbortException if the handshake fails or the peer sends something invalid
   * @throws ChannelException if the link fails or a message does not come in time
   */
  public IcPsiResult run(IcInput own, IcLink link) throws JointlyException {
    long start = System.nanoTime();
    Duration timeout = params.receiveTimeout();
    int n = own.distinctItems();
    IcHandshake.Agreement agreement;
    if (params.rank() == 1) {
      link.sendRequest(IcHandshake.request(params, n));
      agreement = IcHandshake.accept(params, link.receiveResponse(timeout));
    } else {
      IcHandshake.Decision d = IcHandshake.decide(params, link.receiveRequest(timeout));
      link.sendResponse(d.response());
      if (d.agreement().isEmpty()) {
        throw new ProtocolAbortException(
            Reason.HANDSHAKE_MISMATCH,
            "this party (rank 0) refused the handshake: "
                + IcHandshake.errorName(d.response().errorCode()) + ": " + d.response().errorMessage());
      }
      agreement = d.agreement().get();
    }
    Run run = new Run(agreement, own, link);
    GroupScalar k = group.randomScalar(random);
    try {
      return run.execute(k, start);
    } finally {
      k.destroy();
    }
  }

  /** The length of the second-stage values this party sends under {@code a}. */
  int sendLength(IcHandshake.Agreement a) {
    int full = params.suite().elementLength();
    if (params.secondStage() == IcParameters.SecondStage.REFERENCE) {
      return IcParameters.REFERENCE_SECOND_STAGE_BYTES;
    }
    return a.bitLength() == IcParameters.NO_TRUNCATION ? full : a.bitLength() / 8;
  }

  /** One run's state after the handshake. */
  private final class Run {
    final IcHandshake.Agreement agreement;
    final IcInput own;
    final IcLink link;
    final int rank = params.rank();
    final boolean selfGets;
    final boolean peerGets;
    final int len = params.suite().elementLength();
    final int sendLength;
    final int batchSize = params.batchSize();
    final Duration timeout = params.receiveTimeout();
    final int ownBatches;

    Run(IcHandshake.Agreement agreement, IcInput own, IcLink link) {
      this.agreement = agreement;
      this.own = own;
      this.link = link;
      this.selfGets = IcParameters.gets(agreement.resultToRank(), rank);
      this.peerGets = IcParameters.gets(agreement.resultToRank(), 1 - rank);
      this.sendLength = sendLength(agreement);
      this.ownBatches = ceilDiv(own.distinctItems(), batchSize);
    }

    IcPsiResult execute(GroupScalar k, long start) throws JointlyException {
      int n = own.distinctItems();
      long statedPeer = agreement.peerItemNum().orElse(-1);
      listener.onHandshake(n, statedPeer);
      listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, n);
      if (statedPeer >= 0) {
        listener.onProgress(PsiListener.Stage.REBLIND_PEER, 0, statedPeer);
      }
      if (selfGets) {
        listener.onProgress(PsiListener.Stage.MATCH, 0, n);
      }
      int[] order = randomPermutation(n);
      ExecutorService activities =
          Executors.newFixedThreadPool(
              3,
              r -> {
                Thread t = new Thread(r, "ic-psi-rank" + rank);
                t.setDaemon(true);
                return t;
              });
      PeerValues peer;
      Returned returned;
      try {
        ExecutorCompletionService<Object> done = new ExecutorCompletionService<>(activities);
        List<Future<Object>> all = new ArrayList<>();
        all.add(done.submit(() -> maskSelf(k, order)));
        Future<Object> peerF = done.submit(() -> maskPeer(k, statedPeer));
        all.add(peerF);
        Future<Object> dualF = selfGets ? done.submit(this::receiveDual) : null;
        if (dualF != null) {
          all.add(dualF);
        }
        awaitAll(done, all);
        peer = (PeerValues) get(peerF);
        returned = dualF == null ? null : (Returned) get(dualF);
      } finally {
        activities.shutdownNow();
      }

      Optional<RowIndexes> rows = Optional.empty();
      OptionalLong size = OptionalLong.empty();
      if (selfGets) {
        boolean[] shared = match(order, peer, returned);
        long count = 0;
        for (boolean s : shared) {
          count += s ? 1 : 0;
        }
        rows = Optional.of(own.rowsOf(shared));
        size = OptionalLong.of(count);
        listener.onProgress(PsiListener.Stage.MATCH, n, n);
      }
      return new IcPsiResult(
          rank,
          params.suite(),
          agreement.resultToRank(),
          agreement.bitLength(),
          peerGets ? sendLength : 0,
          returned == null || returned.width < 0 ? 0 : returned.width,
          rows,
          size,
          n,
          peer.count,
          new PsiResult.InputSummary(own.rows(), own.invalidRowsSkipped(), own.duplicateRows()),
          link.stats(),
          Duration.ofNanos(System.nanoTime() - start));
    }

    /** MaskSelf: own items, hashed and blinded, in a random order; then the terminator. */
    Object maskSelf(GroupScalar k, int[] order) throws JointlyException {
      int n = own.distinctItems();
      CompletableFuture<byte[]> next = ownBatches > 0 ? blindAsync(k, order, 0) : null;
      for (int b = 0; b < ownBatches; b++) {
        byte[] blinded = join(next);
        next = b + 1 < ownBatches ? blindAsync(k, order, b + 1) : null;
        int count = batchCount(n, batchSize, b);
        link.send(IcStage.FIRST, CipherBatch.data(IcStage.FIRST, b, count, Bytes.wrap(blinded)));
        listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) b * batchSize + count, n);
      }
      link.send(IcStage.FIRST, CipherBatch.terminator(IcStage.FIRST, ownBatches));
      return Boolean.TRUE;
    }

    private CompletableFuture<byte[]> blindAsync(GroupScalar k, int[] order, int b) {
      int from = b * batchSize;
      int count = batchCount(own.distinctItems(), batchSize, b);
      byte[] out = new byte[count * len];
      return parallel(
          count,
          (s, c) -> {
            for (int i = s; i < s + c; i++) {
              byte[] e = group.hashAndMultiply(k, own.items[order[from + i]]);
              System.arraycopy(e, 0, out, i * len, len);
            }
          },
          out);
    }

    /**
     * MaskPeer: the peer's first-stage batches, re-blinded; kept if this party learns, answered
     * if the peer learns (held back until the peer has shown {@code minPeerSetSize} items).
     */
    Object maskPeer(GroupScalar k, long statedPeer) throws JointlyException {
      PeerValues kept = new PeerValues();
      List<CipherBatch> held = new ArrayList<>();
      long min = params.minPeerSetSize();
      boolean released = !peerGets || min == 0;
      int index = 0;
      while (true) {
        CipherBatch batch = link.receive(IcStage.FIRST, timeout);
        checkBatch(batch, IcStage.FIRST, index);
        int count = batch.count();
        if (count == 0) {
          break;
        }
        Abort.unlessWellFormed(
            batch.ciphertext().length() == count * len,
            "enc batch " + index + ": " + batch.ciphertext().length() + " bytes for " + count
                + " values of " + len + " bytes");
        Abort.unlessWellFormed(
            (long) kept.count + count <= IcParameters.MAX_SET_SIZE,
            "the peer sent more than " + IcParameters.MAX_SET_SIZE + " items");
        byte[] doubled = reblind(k, batch.ciphertext().toByteArray(), count);
        if (selfGets) {
          kept.add(doubled);
        }
        kept.count += count;
        if (peerGets) {
          held.add(CipherBatch.data(IcStage.SECOND, index, count, Bytes.wrap(suffixes(doubled, count))));
          if (!released && kept.count >= min) {
            released = true;
          }
          if (released) {
            for (CipherBatch h : held) {
              link.send(IcStage.SECOND, h);
            }
            held.clear();
          }
        }
        listener.onProgress(
            PsiListener.Stage.REBLIND_PEER, kept.count, Math.max(statedPeer, kept.count));
        index++;
      }
      if (peerGets) {
        Abort.unless(
            kept.count >= min,
            Reason.POLICY_REFUSED,
            "the peer sent " + kept.count + " items, below this party's minimum of " + min
                + " for a peer that learns the result; none of them was answered");
        for (CipherBatch h : held) {
          link.send(IcStage.SECOND, h);
        }
        link.send(IcStage.SECOND, CipherBatch.terminator(IcStage.SECOND, index));
      }
      return kept;
    }

    private byte[] reblind(GroupScalar k, byte[] in, int count) throws ProtocolAbortException {
      byte[] out = new byte[count * len];
      CompletableFuture<byte[]> f =
          parallel(
              count,
              (s, c) -> {
                byte[] element = new byte[len];
                for (int i = s; i < s + c; i++) {
                  System.arraycopy(in, i * len, element, 0, len);
                  byte[] e;
                  try {
                    e = group.multiply(k, element);
                  } catch (ProtocolAbortException ex) {
                    throw new CompletionException(ex);
                  }
                  System.arraycopy(e, 0, out, i * len, len);
                }
              },
              out);
      return join(f);
    }

    private byte[] suffixes(byte[] full, int count) {
      byte[] out = new byte[count * sendLength];
      for (int i = 0; i < count; i++) {
        System.arraycopy(full, i * len + len - sendLength, out, i * sendLength, sendLength);
      }
      return out;
    }

    /** RecvDualMaskedSelf: the peer's answers to own batches, in own send order. */
    Object receiveDual() throws JointlyException {
      int n = own.distinctItems();
      Returned r = new Returned();
      int index = 0;
      int got = 0;
      while (true) {
        CipherBatch batch = link.receive(IcStage.SECOND, timeout);
        checkBatch(batch, IcStage.SECOND, index);
        int count = batch.count();
        if (count == 0) {
          break;
        }
        int expected = index < ownBatches ? batchCount(n, batchSize, index) : 0;
        Abort.unlessWellFormed(
            count == expected,
            "dual.enc batch " + index + " has " + count + " values, own enc batch " + index
                + " had " + expected);
        int bytes = batch.ciphertext().length();
        Abort.unlessWellFormed(
            bytes % count == 0, "dual.enc batch " + index + ": " + bytes + " bytes for " + count + " values");
        int width = bytes / count;
        if (r.width < 0) {
          Abort.unlessWellFormed(
              acceptedWidth(width),
              "dual.enc values of " + width + " bytes (expected " + IcParameters.REFERENCE_SECOND_STAGE_BYTES
                  + ", " + len + (agreement.bitLength() > 0 ? " or " + agreement.bitLength() / 8 : "") + ")");
          r.width = width;
          r.values = new byte[Math.multiplyExact(n, width)];
        }
        Abort.unlessWellFormed(
            width == r.width,
            "dual.enc batch " + index + " has " + width + "-byte values, earlier ones " + r.width);
        batch.ciphertext().copyTo(r.values, got * width);
        got += count;
        listener.onProgress(PsiListener.Stage.MATCH, got, n);
        index++;
      }
      Abort.unlessWellFormed(
          got == n, "the peer answered " + got + " of this party's " + n + " items");
      return r;
    }

    private boolean acceptedWidth(int width) {
      return width == IcParameters.REFERENCE_SECOND_STAGE_BYTES
          || width == len
          || (agreement.bitLength() != IcParameters.NO_TRUNCATION && width == agreement.bitLength() / 8);
    }

    private boolean[] match(int[] order, PeerValues peer, Returned returned) {
      int n = own.distinctItems();
      boolean[] shared = new boolean[n];
      if (n == 0 || returned.width < 0) {
        return shared;
      }
      SecondStageSet set = new SecondStageSet(returned.width, peer.count);
      for (byte[] batch : peer.batches) {
        for (int off = 0; off < batch.length; off += len) {
          set.addSuffix(batch, off, len);
        }
      }
      for (int p = 0; p < n; p++) {
        if (set.contains(returned.values, p * returned.width)) {
          shared[order[p]] = true;
        }
      }
      return shared;
    }

    /** The checks every received batch gets before its content is used. */
    private void checkBatch(CipherBatch b, IcStage stage, int index) throws ProtocolAbortException {
      Abort.unlessWellFormed(
          b.type().equals(stage.type()),
          "batch of type '" + IcHandshake.printable(b.type()) + "' in the " + stage.type() + " stream");
      Abort.unlessWellFormed(
          b.batchIndex() == index,
          stage.type() + " batch index " + b.batchIndex() + " where " + index + " was due");
      Abort.unlessWellFormed(
          b.count() >= 0 && b.count() <= MAX_RECEIVED_COUNT,
          stage.type() + " batch " + index + " has count " + b.count());
      if (b.count() == 0) {
        Abort.unlessWellFormed(
            b.ciphertext().length() == 0,
            stage.type() + " batch " + index + " has count 0 but " + b.ciphertext().length() + " bytes");
      }
      for (Map.Entry<Integer, Integer> e : b.duplicateCounts().entrySet()) {
        Abort.unlessWellFormed(
            Integer.compareUnsigned(e.getKey(), b.count()) < 0 && e.getValue() != 0,
            stage.type() + " batch " + index + " has a duplicate count for index "
                + Integer.toUnsignedString(e.getKey()) + " of " + b.count());
      }
    }

    private CompletableFuture<byte[]> parallel(int count, ChunkTask task, byte[] out) {
      List<CompletableFuture<Void>> parts = new ArrayList<>();
      int chunks = Math.max(1, Math.min(count, parallelism * 4));
      int base = count / chunks;
      int extra = count % chunks;
      int s = 0;
      for (int i = 0; i < chunks; i++) {
        int c = base + (i < extra ? 1 : 0);
        if (c > 0) {
          int from = s;
          parts.add(CompletableFuture.runAsync(() -> task.run(from, c), executor));
        }
        s += c;
      }
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> out);
    }
  }

  private interface ChunkTask {
    void run(int start, int count);
  }

  /** The peer's values after this party's re-blinding, full length, batch by batch. */
  private static final class PeerValues {
    final List<byte[]> batches = new ArrayList<>();
    int count;

    void add(byte[] batch) {
      batches.add(batch);
    }
  }

  /** The second-stage values the peer returned for own items, in own send order. */
  private static final class Returned {
    int width = -1;
    byte[] values = new byte[0];
  }

  private int[] randomPermutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static void awaitAll(ExecutorCompletionService<Object> done, List<Future<Object>> all)
      throws JointlyException {
    for (int i = 0; i < all.size(); i++) {
      Future<Object> f;
      try {
        f = done.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.forEach(x -> x.cancel(true));
        throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted during the run");
      }
      try {
        f.get();
      } catch (ExecutionException e) {
        all.forEach(x -> x.cancel(true));
        throw rethrow(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.forEach(x -> x.cancel(true));
        throw new ChannelException(ChannelException.Kind.INTERRUPTED, "interrupted during the run");
      }
    }
  }

  private static Object get(Future<Object> f) {
    try {
      return f.get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("activity result read before it completed", e);
    }
  }

  private static JointlyException rethrow(Throwable t) {
    if (t instanceof JointlyException j) {
      return j;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  private static <T> T join(CompletableFuture<T> f) throws ProtocolAbortException {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ProtocolAbortException p) {
        throw p;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  static int ceilDiv(int a, int b) {
    return a == 0 ? 0 : (a - 1) / b + 1;
  }

  static int batchCount(int total, int batchSize, int index) {
    return Math.min(batchSize, total - index * batchSize);
  }
}
