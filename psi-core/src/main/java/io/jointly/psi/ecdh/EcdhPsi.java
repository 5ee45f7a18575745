package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.PsiInput;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.PsiAlignment;
import io.jointly.psi.PsiListener;
import io.jointly.psi.PsiResult;
import io.jointly.channel.CountingChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.channel.TranscriptChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One party of ECDH private set intersection (Meadows 1986; Huberman, Franklin and Hogg 1999; the
 * "ECDH-PSI" of the CAICT/BFIA interconnection standard), streamed in batches.
 *
 * <h2>Protocol</h2>
 *
 * Each party P ∈ {bank, partner} holds a set of normalised items and a fresh random secret scalar
 * k_P. With {@code H} the suite's hash-to-group and {@code trunc_t} keeping the last {@code t}
 * bytes of an encoding ({@link PsiMath#truncationBytes}):
 *
 * <ol>
 *   <li>{@code HELLO}: both send version, role, suite, profile, key columns, reveal mode, batch
 *       size, set size and minimum peer set size; both check agreement and the guardrail.
 *   <li>{@code BLINDED}: each sends {@code k_P·H(x)} for its items in a fresh random order (so
 *       positions reveal nothing about its rows; see {@link PsiAlignment}), in batches.
 *   <li>{@code DOUBLE_BLINDED}: each receiver re-blinds the peer's elements, {@code
 *       trunc_t(k_Q·k_P·H(x))}, and returns them in the order received to a peer that learns the
 *       intersection (shuffled, after all batches, in {@code count} mode); a party that learns
 *       keeps its own re-blinding of the peer's elements as a set.
 *   <li>A party that learns marks its item i shared iff the value returned for i is in that set.
 *   <li>{@code CONFIRM}: both exchange the SHA-256 digests of everything they sent and received;
 *       any difference in either direction aborts both parties ({@link io.jointly.channel.TranscriptChannel}).
 * </ol>
 *
 * Within each batch index b a party sends its own batch b, then receives and answers the peer's
 * batch b, then receives the answers to its own batch b; both parties follow the same schedule, so
 * each receives messages in the order the other sends them and bounded channels never deadlock.
 * Own batch b+1 is blinded on the executor while batch b is on the wire.
 *
 * <h2>What each party learns (semi-honest model, DDH in the group, H a random oracle)</h2>
 *
 * Both: the other's set size (deduplicated) and the agreed parameters. {@link RevealMode#BANK}:
 * the bank learns which of its rows are shared; the partner nothing more. {@link RevealMode#BOTH}:
 * each learns which of its rows are shared. {@link RevealMode#COUNT}: the bank learns the number of
 * shared items only. Messages never contain raw items; error messages never contain data values.
 * A malicious peer can at most abort or make the result wrong in ways the transcript check does not
 * catch (for example by lying about its own set); this protocol does not claim malicious security.
 *
 * <p>Thread-safety: an instance is immutable and may run several sessions concurrently, each on its
 * own calling thread; {@link #run} blocks that thread and uses the executor for the group
 * operations.
 */
public final class EcdhPsi {
  /** The protocol name in round keys. */
  public static final String PROTOCOL = "ecdh-psi";

  /** Rounds, with explicit wire codes. */
  enum Round {
    HELLO(1),
    BLINDED(2),
    DOUBLE_BLINDED(3),
    CONFIRM(4);

    final int wireCode;

    Round(int wireCode) {
      this.wireCode = wireCode;
    }

    RoundKey key(int sequence) {
      return new RoundKey(PROTOCOL, wireCode, sequence);
    }
  }

  private final PsiRole role;
  private final EcdhPsiParameters params;
  private final EcdhGroup group;
  private final Executor executor;
  private final int parallelism;
  private final PsiListener listener;
  private final SecureRandom random;

  /**
   * @param role this party's role
   * @param params the parameters (the peer must agree on the shared ones)
   * @param executor runs the group operations; never the common pool
   * @param parallelism how many chunks to split each batch into (usually the executor's threads)
   */
  public EcdhPsi(PsiRole role, EcdhPsiParameters params, Executor executor, int parallelism) {
    this(role, params, executor, parallelism, PsiListener.NONE, new SecureRandom());
  }

  private EcdhPsi(
      PsiRole role,
      EcdhPsiParameters params,
      Executor executor,
      int parallelism,
      PsiListener listener,
      SecureRandom random) {
    this.role = Objects.requireNonNull(role);
    this.params = Objects.requireNonNull(params);
    this.executor = Objects.requireNonNull(executor);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.listener = Objects.requireNonNull(listener);
    this.random = Objects.requireNonNull(random);
    this.group = EcdhGroups.create(params.suite());
  }

  /** The same party reporting progress to {@code listener}. */
  public EcdhPsi withListener(PsiListener listener) {
    return new EcdhPsi(role, params, executor, parallelism, listener, random);
  }

  public PsiRole role() {
    return role;
  }

  public EcdhPsiParameters parameters() {
    return params;
  }

  /**
   * Normalises, validates and de-duplicates this party's identifiers, before any connection.
   *
   * @throws io.jointly.core.InputException naming the first bad row (never its value)
   */
  public PreparedInput prepare(PsiInput input) throws io.jointly.core.InputException {
    return new PreparedInput(PreparedItems.prepare(input, params), input.rowCount(), params);
  }

  /**
   * Runs the protocol with the peer on {@code channel}: {@link #prepare} then {@link
   * #run(PreparedInput, MessageChannel)}.
   *
   * @throws io.jointly.core.InputException if this party's input is unusable (before anything is
   *     sent)
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PsiInput input, MessageChannel channel) throws JointlyException {
    return run(prepare(input), channel);
  }

  /**
   * Runs the protocol with the peer on {@code channel} over input prepared by this party.
   *
   * @throws ProtocolAbortException if the peer disagrees or misbehaves
   * @throws io.jointly.core.ChannelException if the channel fails or times out
   */
  public PsiResult run(PreparedInput prepared, MessageChannel channel) throws JointlyException {
    if (!prepared.parameters.equals(params)) {
      throw new IllegalArgumentException("input was prepared with other parameters");
    }
    long start = System.nanoTime();
    PreparedItems own = prepared.items;
    CountingChannel counting = new CountingChannel(channel);
    TranscriptChannel tx = new TranscriptChannel(counting);
    Duration timeout = params.receiveTimeout();

    Hello mine =
        new Hello(
            Hello.VERSION,
            role,
            params.suite(),
            params.profile(),
            params.keyColumns(),
            params.revealMode(),
            params.batchSize(),
            own.size(),
            params.minPeerSetSize());
    tx.send(Round.HELLO.key(0), mine.encode());
    Hello peer = Hello.decode(tx.receive(Round.HELLO.key(0), timeout));
    mine.checkAgainst(peer);
    listener.onHandshake(own.size(), peer.setSize());

    RevealMode mode = params.revealMode();
    int nOwn = own.size();
    int nPeer = (int) peer.setSize();
    int len = group.elementLength();
    int t = PsiMath.truncationBytes(nOwn, nPeer, len);
    boolean iLearn = mode.revealsSizeTo(role);
    boolean peerLearns = mode.revealsSizeTo(role.other());
    int ownBatch = params.batchSize();
    int peerBatch = peer.batchSize();
    int ownBatches = ceilDiv(nOwn, ownBatch);
    int peerBatches = ceilDiv(nPeer, peerBatch);
    // Every stage this party runs, at zero, so a listener knows the whole work from the start.
    listener.onProgress(PsiListener.Stage.BLIND_OWN, 0, nOwn);
    listener.onProgress(PsiListener.Stage.REBLIND_PEER, 0, nPeer);
    if (iLearn) {
      listener.onProgress(PsiListener.Stage.MATCH, 0, nOwn);
    }

    GroupScalar k = group.randomScalar(random);
    try {
      // Own items go out in a fresh random order, so send positions say nothing about our rows.
      int[] order = randomPermutation(nOwn);
      byte[][] sendOrder = new byte[nOwn][];
      for (int p = 0; p < nOwn; p++) {
        sendOrder[p] = own.items[order[p]];
      }
      // Values the peer returned for our items, in our order (not in count mode).
      byte[] returned = iLearn && mode != RevealMode.COUNT ? new byte[nOwn * t] : null;
      // Our re-blinding of the peer's items, as a set.
      TruncatedSet peerSet = iLearn ? new TruncatedSet(t, nPeer) : null;
      // Count mode, partner side: all re-blinded values, shuffled and returned at the end.
      byte[] forShuffle = peerLearns && mode == RevealMode.COUNT ? new byte[nPeer * t] : null;

      CompletableFuture<byte[]> nextOwn = ownBatches > 0 ? blindAsync(k, sendOrder, 0, batchCount(nOwn, ownBatch, 0)) : null;
      int rounds = Math.max(ownBatches, peerBatches);
      for (int b = 0; b < rounds; b++) {
        if (b < ownBatches) {
          int count = batchCount(nOwn, ownBatch, b);
          byte[] blinded = join(nextOwn);
          nextOwn =
              b + 1 < ownBatches
                  ? blindAsync(k, sendOrder, (b + 1) * ownBatch, batchCount(nOwn, ownBatch, b + 1))
                  : null;
          tx.send(Round.BLINDED.key(b), encodeBatch(blinded, count, len));
          listener.onProgress(PsiListener.Stage.BLIND_OWN, (long) b * ownBatch + count, nOwn);
        }
        if (b < peerBatches) {
          int count = batchCount(nPeer, peerBatch, b);
          byte[] elements = decodeBatch(tx.receive(Round.BLINDED.key(b), timeout), count, len, "BLINDED", b);
          byte[] doubled = reblindParallel(k, elements, count, t);
          if (iLearn) {
            for (int i = 0; i < count; i++) {
              // Distinct items give distinct values except with probability ≤ 2^-40; a repeat means
              // the peer sent an item twice, which would also break the peer-position alignment.
              Abort.unlessWellFormed(
                  peerSet.add(doubled, i * t), "BLINDED batch " + b + " repeats an element");
            }
          }
          if (peerLearns) {
            if (mode == RevealMode.COUNT) {
              System.arraycopy(doubled, 0, forShuffle, b * peerBatch * t, count * t);
            } else {
              tx.send(Round.DOUBLE_BLINDED.key(b), encodeBatch(doubled, count, t));
            }
          }
          listener.onProgress(PsiListener.Stage.REBLIND_PEER, (long) b * peerBatch + count, nPeer);
        }
        if (b < ownBatches && returned != null) {
          int count = batchCount(nOwn, ownBatch, b);
          byte[] values = decodeBatch(tx.receive(Round.DOUBLE_BLINDED.key(b), timeout), count, t, "DOUBLE_BLINDED", b);
          System.arraycopy(values, 0, returned, b * ownBatch * t, count * t);
          listener.onProgress(PsiListener.Stage.MATCH, (long) b * ownBatch + count, nOwn);
        }
      }

      long intersection = -1;
      boolean[] shared = null;
      int[] peerPosition = null;
      if (mode == RevealMode.COUNT) {
        if (peerLearns) {
          shuffle(forShuffle, nPeer, t);
          for (int b = 0; b < peerBatches; b++) {
            int count = batchCount(nPeer, ownBatch, b);
            tx.send(Round.DOUBLE_BLINDED.key(b), encodeBatch(slice(forShuffle, b * ownBatch * t, count * t), count, t));
          }
        }
        if (iLearn) {
          intersection = 0;
          int batches = ceilDiv(nOwn, peerBatch);
          for (int b = 0; b < batches; b++) {
            int count = batchCount(nOwn, peerBatch, b);
            byte[] values = decodeBatch(tx.receive(Round.DOUBLE_BLINDED.key(b), timeout), count, t, "DOUBLE_BLINDED", b);
            for (int i = 0; i < count; i++) {
              if (peerSet.contains(values, i * t)) {
                intersection++;
              }
            }
            listener.onProgress(PsiListener.Stage.MATCH, (long) b * peerBatch + count, nOwn);
          }
        }
      } else if (iLearn) {
        peerPosition = new int[nOwn];
        intersection = PsiMath.match(returned, order, t, peerSet, peerPosition);
        shared = new boolean[nOwn];
        for (int i = 0; i < nOwn; i++) {
          shared[i] = peerPosition[i] >= 0;
        }
      }

      tx.confirm(Round.CONFIRM.key(0), timeout);

      Optional<RowIndexes> rows = shared == null ? Optional.empty() : Optional.of(own.rowsOf(shared));
      OptionalLong size = intersection < 0 ? OptionalLong.empty() : OptionalLong.of(intersection);
      return new PsiResult(
          role,
          mode,
          params.suite(),
          rows,
          size,
          nOwn,
          nPeer,
          new PsiResult.InputSummary(prepared.rows, own.invalidRowsSkipped, own.duplicateRows),
          counting.stats(),
          Duration.ofNanos(System.nanoTime() - start),
          alignment(own, order, peerPosition));
    } finally {
      k.destroy();
    }
  }

  private CompletableFuture<byte[]> blindAsync(GroupScalar k, byte[][] items, int from, int count) {
    int len = group.elementLength();
    byte[] out = new byte[count * len];
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    forChunks(count, (s, c) -> parts.add(CompletableFuture.runAsync(() -> PsiMath.blind(group, k, items, from + s, c, out, s * len), executor)));
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> out);
  }

  private byte[] reblindParallel(GroupScalar k, byte[] in, int count, int t) throws ProtocolAbortException {
    byte[] out = new byte[count * t];
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    forChunks(
        count,
        (s, c) ->
            parts.add(
                CompletableFuture.runAsync(
                    () -> {
                      try {
                        PsiMath.reblindTruncated(group, k, in, s, c, t, out);
                      } catch (ProtocolAbortException e) {
                        throw new CompletionException(e);
                      }
                    },
                    executor)));
    join(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)));
    return out;
  }

  private interface ChunkSink {
    void accept(int start, int count);
  }

  private void forChunks(int count, ChunkSink sink) {
    int chunks = Math.max(1, Math.min(count, parallelism * 4));
    int base = count / chunks;
    int extra = count % chunks;
    int start = 0;
    for (int i = 0; i < chunks; i++) {
      int c = base + (i < extra ? 1 : 0);
      if (c > 0) {
        sink.accept(start, c);
      }
      start += c;
    }
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

  /** The sender view (position → first row) and, if this party learns, the learner view. */
  private static PsiAlignment alignment(PreparedItems own, int[] order, int[] peerPosition) {
    int[] first = own.firstRows();
    int[] sentRows = new int[order.length];
    for (int p = 0; p < order.length; p++) {
      sentRows[p] = first[order[p]];
    }
    if (peerPosition == null) {
      return PsiAlignment.of(sentRows, new int[0], new int[0]);
    }
    // Items are numbered in the order of their first row, so item order is row order.
    int shared = 0;
    for (int pos : peerPosition) {
      if (pos >= 0) {
        shared++;
      }
    }
    int[] rows = new int[shared];
    int[] positions = new int[shared];
    int k = 0;
    for (int item = 0; item < peerPosition.length; item++) {
      if (peerPosition[item] >= 0) {
        rows[k] = first[item];
        positions[k++] = peerPosition[item];
      }
    }
    return PsiAlignment.of(sentRows, rows, positions);
  }

  /** A uniformly random permutation of [0, n), Fisher–Yates with the SecureRandom. */
  private int[] randomPermutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  /** Fisher–Yates over {@code n} values of {@code width} bytes, with the SecureRandom. */
  private void shuffle(byte[] values, int n, int width) {
    byte[] tmp = new byte[width];
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      if (j != i) {
        System.arraycopy(values, i * width, tmp, 0, width);
        System.arraycopy(values, j * width, values, i * width, width);
        System.arraycopy(tmp, 0, values, j * width, width);
      }
    }
  }

  static int ceilDiv(int n, int d) {
    return (n + d - 1) / d;
  }

  static int batchCount(int total, int batchSize, int index) {
    return Math.min(batchSize, total - index * batchSize);
  }

  private static byte[] slice(byte[] a, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(a, from, out, 0, length);
    return out;
  }

  /** A batch: 4-byte big-endian count, then {@code count} values of {@code width} bytes. */
  static Bytes encodeBatch(byte[] values, int count, int width) {
    byte[] out = new byte[4 + count * width];
    ByteBuffer.wrap(out).putInt(count);
    System.arraycopy(values, 0, out, 4, count * width);
    return Bytes.wrap(out);
  }

  static byte[] decodeBatch(Bytes payload, int expectedCount, int width, String round, int index)
      throws ProtocolAbortException {
    Abort.unlessWellFormed(
        payload.length() == 4 + expectedCount * width,
        round + " batch " + index + " has " + payload.length() + " bytes, expected " + (4 + expectedCount * width));
    byte[] raw = payload.toByteArray();
    int count = ByteBuffer.wrap(raw).getInt();
    Abort.unlessWellFormed(
        count == expectedCount, round + " batch " + index + " declares " + count + " items, expected " + expectedCount);
    byte[] values = new byte[count * width];
    System.arraycopy(raw, 4, values, 0, values.length);
    return values;
  }
}
