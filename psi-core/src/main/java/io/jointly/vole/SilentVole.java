package io.jointly.vole;

import io.jointly.core.Abort;
import io.jointly.core.Parallel;
import io.jointly.core.ProtocolAbortException;
import io.jointly.ot.CorrelationRobustHash;
import io.jointly.symmetric.Blocks;
import io.jointly.vole.internal.ExpandAccumulate;
import io.jointly.vole.internal.GgmForest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Silent subfield VOLE over GF(2^128) ({@link Gf128}) with ℓ-bit inputs, from correlated OTs and
 * dual LPN ({@link VoleParameters}): the sender gets a secret Δ (its correlated-OT secret) and a
 * vector B, the receiver a vector A of ℓ-bit elements and C with {@code C = B + A·Δ}, A
 * pseudorandom and hidden from the sender, Δ hidden from the receiver.
 *
 * <h2>One chunk of m outputs (Boyle, Couteau, Gilboa, Ishai, Kohl, Rindal, Scholl, "Efficient
 * Two-Round OT Extension and Silent Non-Interactive Secure Computation", CCS 2019, Fig. 4 and 13;
 * Weng, Yang, Katz, Wang, "Wolverine", S&amp;P 2021, Fig. 4 for the subfield form)</h2>
 *
 * From {@code cots()} correlated OTs with the sender's global Δ (sender {@code q_i}, receiver
 * {@code c_i} and {@code t_i = q_i + c_i·Δ}), numbered tree-major: per tree j first d for its GGM
 * levels, after all trees ℓ per tree for its base VOLE:
 *
 * <ol>
 *   <li>Base VOLE, one per tree: in a first chunk from ℓ correlated OTs per tree, the receiver's
 *       noise value {@code β_j = Σ_k c_{j,k}·X^k} (its ℓ random choice bits), {@code γ_j = Σ_k
 *       t_{j,k}·X^k}, the sender's {@code δ_j = Σ_k q_{j,k}·X^k}; then {@code γ_j = δ_j + β_j·Δ}.
 *       In a bootstrapped chunk, t outputs reserved by the previous chunk under the same Δ ({@code
 *       β_j = A_i}, {@code γ_j = C_i}, {@code δ_j = B_i}), as in Ferret (Yang, Weng, Lan, Zhang,
 *       Wang, CCS 2020, §4 "bootstrapping") and Wolverine (Fig. 4): each reserved output is used
 *       once, and A is pseudorandom to the sender, so β is as good as uniform.
 *   <li>Punctured trees ({@link GgmForest}): the sender expands t random GGM trees of s leaves
 *       v. The receiver picks α_j ∈ [0, s) uniformly; for each level L its choice bit is the side
 *       its path does not take, and the sender sends, tweak i the OT's session-unique number, {@code
 *       K_L^0 + H(i, q)} and {@code K_L^1 + H(i, q + Δ)} (the XOR of the level's left and right
 *       children; H the tweakable correlation-robust hash of GKWY20 §7.4); the receiver
 *       opens the one its {@code t} unlocks and rebuilds every leaf but α_j. H is {@link
 *       CorrelationRobustHash#hash} with the chunk's OT-extension batch number as tweak (each row
 *       its index within the batch), so every tweak is unique in the session.
 *   <li>The sender sends {@code c_j = δ_j + Σ_x v_{j,x}}; the receiver sets {@code w_{α_j} = c_j +
 *       Σ_{x≠α_j} v_{j,x} + γ_j = v_{α_j} + β_j·Δ} and {@code w_x = v_x} elsewhere, so that {@code w
 *       = v + e·Δ} for the regular noise vector e (β_j at position {@code α_j·t + j}).
 *   <li>Both compress with the public EA code G ({@code ExpandAccumulate}): {@code B = G·v}, {@code C
 *       = G·w}, {@code A = G·e}, so {@code C = B + A·Δ} by linearity.
 * </ol>
 *
 * Traffic per chunk: the receiver's OT-extension matrix for {@code cots()} OTs (outside this class;
 * t·d, or t·(d + ℓ) in a first chunk) and the sender's {@link Shape#messageBytes()}.
 *
 * <h2>Security (semi-honest)</h2>
 *
 * The sender sees the OT-extension messages (hiding the receiver's choices, hence α and β) and
 * nothing else; A is pseudorandom to it under dual LPN. The receiver sees one opened sum per level,
 * which leaves the punctured leaf, hence {@code v_α} and so Δ, hidden (GGM security, H correlation
 * robust).
 *
 * <p>Instances hold secrets, print redacted and are confined to one thread.
 */
public final class SilentVole {

  private SilentVole() {}

  /**
   * The public shape of one chunk.
   *
   * @param outputs outputs the caller needs (m)
   * @param codeOutputs outputs produced, {@code max(m + trees, minimumOutputs)}: the t after the
   *     first m are {@linkplain Sender#reserved() reserved} as the next chunk's base VOLE
   * @param trees t
   * @param leaves s, leaves per tree
   * @param valueBits ℓ
   * @param expanderWeight the EA code's row weight
   * @param bootstrapped whether the base VOLE comes from a previous chunk's reserved outputs (else
   *     from ℓ correlated OTs per tree)
   */
  public record Shape(
      int outputs, int codeOutputs, int trees, int leaves, int valueBits, int expanderWeight, boolean bootstrapped) {
    public Shape {
      if (outputs < 0
          || (long) codeOutputs < (long) outputs + trees
          || trees < 1
          || leaves < 2
          || valueBits < 1
          || valueBits > 128) {
        throw new IllegalArgumentException("invalid VOLE shape");
      }
      if ((long) trees * leaves > Integer.MAX_VALUE / 16) {
        throw new IllegalArgumentException("VOLE chunk too large");
      }
    }

    /** The shape of a first chunk (base VOLE from correlated OTs) for m outputs of ℓ bits. */
    public static Shape of(int outputs, int valueBits, VoleParameters p) {
      return of(outputs, valueBits, p, false);
    }

    /** The shape for m outputs of ℓ bits, bootstrapped from a previous chunk or not. */
    public static Shape of(int outputs, int valueBits, VoleParameters p, boolean bootstrapped) {
      int t = p.noiseWeight();
      int code = (int) Math.max((long) outputs + t, p.minimumOutputs());
      long target = (long) p.expansion() * code;
      int s = (int) Math.max(2, (target + t - 1) / t);
      return new Shape(outputs, code, t, s, valueBits, p.expanderWeight(), bootstrapped);
    }

    /** GGM depth d = ⌈log2 s⌉. */
    public int depth() {
      return GgmForest.depth(leaves);
    }

    /** N = t·s. */
    public int codeLength() {
      return trees * leaves;
    }

    /** Correlated OTs the chunk consumes: t·d, plus t·ℓ for the base VOLE of a first chunk. */
    public int cots() {
      return trees * (depth() + (bootstrapped ? 0 : valueBits));
    }

    /** Bytes of the sender's message: two blocks per tree and level, one correction per tree. */
    public int messageBytes() {
      return trees * (2 * depth() + 1) * Blocks.BYTES;
    }
  }

  /**
   * The sender's side of t base VOLE correlations ({@code δ_j}, t blocks): a previous chunk's
   * reserved outputs. Holds secrets: {@link #destroy()} clears them.
   */
  public static final class SenderBase {
    private final byte[] delta;

    private SenderBase(byte[] delta) {
      this.delta = delta;
    }

    public void destroy() {
      Arrays.fill(delta, (byte) 0);
    }

    @Override
    public String toString() {
      return "SenderBase[" + delta.length / Blocks.BYTES + " blocks, redacted]";
    }
  }

  /**
   * The receiver's side of t base VOLE correlations: values {@code β_j} (ℓ bits) and {@code γ_j =
   * δ_j + β_j·Δ}. Holds secrets: {@link #destroy()} clears them.
   */
  public static final class ReceiverBase {
    private final byte[] beta;
    private final byte[] gamma;

    private ReceiverBase(byte[] beta, byte[] gamma) {
      this.beta = beta;
      this.gamma = gamma;
    }

    public void destroy() {
      Arrays.fill(beta, (byte) 0);
      Arrays.fill(gamma, (byte) 0);
    }

    @Override
    public String toString() {
      return "ReceiverBase[" + beta.length / Blocks.BYTES + " blocks, redacted]";
    }
  }

  /** {@code Σ_k rows[first+k]·X^k} for k < ℓ over correlated-OT rows, by Horner's rule. */
  static void combine(long[][] rows, int first, int ell, long[] out) {
    long lo = 0;
    long hi = 0;
    for (int k = ell - 1; k >= 0; k--) {
      long nlo = Gf128.mulXLo(lo, hi) ^ rows[first + k][0];
      hi = Gf128.mulXHi(lo, hi) ^ rows[first + k][1];
      lo = nlo;
    }
    out[0] = lo;
    out[1] = hi;
  }

  /** The VOLE sender: holds Δ and gets B. */
  public static final class Sender {
    private final Shape shape;
    private final long deltaLo;
    private final long deltaHi;
    private final byte[] codeSeed;
    private final SecureRandom random;
    private final Parallel parallel;
    private byte[] leaves;
    private byte[] outputs;

    /**
     * @param delta the correlated-OT secret Δ as (lo, hi) words
     * @param codeSeed the public seed of this chunk's EA code (both parties use the same)
     */
    public Sender(Shape shape, long deltaLo, long deltaHi, byte[] codeSeed, SecureRandom random) {
      this(shape, deltaLo, deltaHi, codeSeed, random, Parallel.SEQUENTIAL);
    }

    /** As above, running the trees and the code on {@code parallel}. */
    public Sender(Shape shape, long deltaLo, long deltaHi, byte[] codeSeed, SecureRandom random, Parallel parallel) {
      this.parallel = Objects.requireNonNull(parallel);
      this.shape = Objects.requireNonNull(shape);
      this.deltaLo = deltaLo;
      this.deltaHi = deltaHi;
      this.codeSeed = codeSeed.clone();
      this.random = Objects.requireNonNull(random);
    }

    /**
     * Expands this chunk and returns the message for the receiver.
     *
     * @param cots this chunk's {@link Shape#cots()} correlated-OT rows {@code q_i} (an OT-extension
     *     batch, as {@code IknpSender.extend} returns them)
     * @param tweak the batch's number, unique in the session (the hash tweak of its rows)
     */
    public byte[] message(long[][] cots, long tweak) {
      if (shape.bootstrapped()) {
        throw new IllegalStateException("a bootstrapped chunk takes its base VOLE from the previous chunk");
      }
      return message(cots, tweak, null);
    }

    /**
     * As {@link #message(long[][], long)} for a bootstrapped chunk, whose base VOLE is {@code
     * base}, the previous chunk's {@link #reserved()} outputs (consumed: cleared here).
     */
    public byte[] message(long[][] cots, long tweak, SenderBase base) {
      if (shape.bootstrapped() != (base != null)) {
        throw new IllegalArgumentException(shape.bootstrapped() ? "a base VOLE is needed" : "this chunk's base VOLE comes from OTs");
      }
      if (base != null && base.delta.length != shape.trees() * Blocks.BYTES) {
        throw new IllegalArgumentException("the base VOLE has the wrong size");
      }
      if (cots.length < shape.cots()) {
        throw new IllegalArgumentException("too few correlated OTs");
      }
      int t = shape.trees();
      int s = shape.leaves();
      int d = shape.depth();
      int ell = shape.valueBits();
      byte[] roots = Blocks.allocate(t);
      random.nextBytes(roots);
      byte[] leaves = Blocks.allocate(shape.codeLength());
      byte[] sums = Blocks.allocate(d * t * 2);
      GgmForest.expandSender(roots, t, s, leaves, sums, parallel);
      Arrays.fill(roots, (byte) 0);

      // Level messages: OT (j, L) is row j·d + L of the batch; both messages under its tweak.
      int ggm = t * d;
      long[] h0 = CorrelationRobustHash.hash(tweak, cots, ggm, null);
      long[] h1 = CorrelationRobustHash.hash(tweak, cots, ggm, new long[] {deltaLo, deltaHi});
      byte[] msg = new byte[shape.messageBytes()];
      for (int j = 0; j < t; j++) {
        for (int level = 0; level < d; level++) {
          int i = j * d + level;
          int sum = (level * t + j) * 2;
          Blocks.set(msg, 2 * i, Blocks.lo(sums, sum) ^ h0[2 * i], Blocks.hi(sums, sum) ^ h0[2 * i + 1]);
          Blocks.set(msg, 2 * i + 1, Blocks.lo(sums, sum + 1) ^ h1[2 * i], Blocks.hi(sums, sum + 1) ^ h1[2 * i + 1]);
        }
      }
      // Corrections c_j = δ_j + Σ_x v_{j,x}; the leaf sum is the last level's two side sums.
      long[] delta = new long[2];
      for (int j = 0; j < t; j++) {
        if (base == null) {
          combine(cots, ggm + j * ell, ell, delta);
        } else {
          delta[0] = Blocks.lo(base.delta, j);
          delta[1] = Blocks.hi(base.delta, j);
        }
        int sum = ((d - 1) * t + j) * 2;
        long lo = delta[0] ^ Blocks.lo(sums, sum) ^ Blocks.lo(sums, sum + 1);
        long hi = delta[1] ^ Blocks.hi(sums, sum) ^ Blocks.hi(sums, sum + 1);
        Blocks.set(msg, 2 * ggm + j, lo, hi);
      }
      Arrays.fill(delta, 0L);
      Arrays.fill(h0, 0L);
      Arrays.fill(h1, 0L);
      Arrays.fill(sums, (byte) 0);
      if (base != null) {
        base.destroy();
      }
      this.leaves = leaves;
      return msg;
    }

    /**
     * The t outputs after the first m, as the next chunk's base VOLE (a copy; computes the outputs
     * if needed).
     */
    public SenderBase reserved() {
      byte[] b = outputs();
      int from = shape.outputs() * Blocks.BYTES;
      return new SenderBase(Arrays.copyOfRange(b, from, from + shape.trees() * Blocks.BYTES));
    }

    /**
     * B, {@link Shape#codeOutputs()} blocks (the caller uses the first {@link Shape#outputs()}):
     * the EA code applied to the leaves, computed on the first call — after the message has been
     * sent, so that the receiver's work overlaps this party's.
     */
    public byte[] outputs() {
      if (outputs == null) {
        if (leaves == null) {
          throw new IllegalStateException("message() first");
        }
        ExpandAccumulate code = new ExpandAccumulate(shape.codeOutputs(), shape.codeLength(), shape.expanderWeight(), codeSeed);
        code.accumulate(leaves);
        outputs = Blocks.allocate(shape.codeOutputs());
        code.expand(leaves, outputs, parallel);
        Arrays.fill(leaves, (byte) 0);
        leaves = null;
      }
      return outputs;
    }

    @Override
    public String toString() {
      return "SilentVole.Sender[" + shape + ", redacted]";
    }
  }

  /** The VOLE receiver: picks the noise and gets A and C. */
  public static final class Receiver {
    private final Shape shape;
    private final byte[] codeSeed;
    private final int[] alpha;
    private final byte[] beta;
    private final long[] choices;
    private final Parallel parallel;
    private byte[] a;
    private byte[] c;

    public Receiver(Shape shape, byte[] codeSeed, SecureRandom random) {
      this(shape, codeSeed, random, Parallel.SEQUENTIAL);
    }

    /** As above, running the trees and the code on {@code parallel}. */
    public Receiver(Shape shape, byte[] codeSeed, SecureRandom random, Parallel parallel) {
      this.parallel = Objects.requireNonNull(parallel);
      this.shape = Objects.requireNonNull(shape);
      this.codeSeed = codeSeed.clone();
      int t = shape.trees();
      int d = shape.depth();
      int ell = shape.valueBits();
      this.alpha = new int[t];
      this.beta = Blocks.allocate(t);
      this.choices = new long[(shape.cots() + 63) >>> 6];
      byte[] bits = new byte[16];
      for (int j = 0; j < t; j++) {
        alpha[j] = random.nextInt(shape.leaves());
        for (int level = 0; level < d; level++) {
          long pathBit = (alpha[j] >>> (d - level - 1)) & 1;
          setChoice(j * d + level, 1 - pathBit);
        }
        if (shape.bootstrapped()) {
          continue;
        }
        random.nextBytes(bits);
        long lo = Blocks.word(bits, 0);
        long hi = Blocks.word(bits, 8);
        if (ell < 128) {
          hi &= ell <= 64 ? 0 : (1L << (ell - 64)) - 1;
          lo &= ell >= 64 ? -1L : (1L << ell) - 1;
        }
        Blocks.set(beta, j, lo, hi);
        for (int k = 0; k < ell; k++) {
          long bit = k < 64 ? (lo >>> k) & 1 : (hi >>> (k - 64)) & 1;
          setChoice(t * d + j * ell + k, bit);
        }
      }
      Arrays.fill(bits, (byte) 0);
    }

    private void setChoice(int i, long bit) {
      choices[i >>> 6] |= bit << (i & 63);
    }

    /** The choice bits of this chunk's correlated OTs, bit i of word i/64 (a copy). */
    public long[] choices() {
      return choices.clone();
    }

    /**
     * Rebuilds the noisy vector from the sender's message and compresses it.
     *
     * @param cots this chunk's correlated-OT rows {@code t_i} ({@code IknpReceiver}'s rows)
     * @param message the sender's message
     * @param tweak as given to the sender
     * @throws ProtocolAbortException if the message has the wrong length
     */
    public void finish(long[][] cots, byte[] message, long tweak) throws ProtocolAbortException {
      if (shape.bootstrapped()) {
        throw new IllegalStateException("a bootstrapped chunk takes its base VOLE from the previous chunk");
      }
      finish(cots, message, tweak, null);
    }

    /**
     * As {@link #finish(long[][], byte[], long)} for a bootstrapped chunk, whose base VOLE is
     * {@code base}, the previous chunk's {@link #reserved()} outputs (consumed: cleared here).
     */
    public void finish(long[][] cots, byte[] message, long tweak, ReceiverBase base) throws ProtocolAbortException {
      if (shape.bootstrapped() != (base != null)) {
        throw new IllegalArgumentException(shape.bootstrapped() ? "a base VOLE is needed" : "this chunk's base VOLE comes from OTs");
      }
      if (base != null && base.beta.length != shape.trees() * Blocks.BYTES) {
        throw new IllegalArgumentException("the base VOLE has the wrong size");
      }
      Abort.unlessWellFormed(
          message.length == shape.messageBytes(),
          "VOLE tree message has " + message.length + " bytes, expected " + shape.messageBytes());
      if (cots.length < shape.cots()) {
        throw new IllegalArgumentException("too few correlated OTs");
      }
      int t = shape.trees();
      int s = shape.leaves();
      int d = shape.depth();
      int ell = shape.valueBits();
      int ggm = t * d;
      long[] hashes = CorrelationRobustHash.hash(tweak, cots, ggm, null);
      // The opened sums, level-major as GgmForest wants them.
      byte[] sibling = Blocks.allocate(ggm);
      for (int j = 0; j < t; j++) {
        for (int level = 0; level < d; level++) {
          int i = j * d + level;
          int chosen = (int) ((choices[i >>> 6] >>> (i & 63)) & 1);
          int at = 2 * i + chosen;
          Blocks.set(sibling, level * t + j, Blocks.lo(message, at) ^ hashes[2 * i], Blocks.hi(message, at) ^ hashes[2 * i + 1]);
        }
      }
      byte[] leaves = Blocks.allocate(shape.codeLength());
      byte[] known = Blocks.allocate(t);
      GgmForest.expandReceiver(alpha, t, s, sibling, leaves, known, parallel);
      int[] positions = new int[t];
      long[] gamma = new long[2];
      byte[] noiseValues = base == null ? beta : base.beta;
      for (int j = 0; j < t; j++) {
        if (base == null) {
          combine(cots, ggm + j * ell, ell, gamma);
        } else {
          gamma[0] = Blocks.lo(base.gamma, j);
          gamma[1] = Blocks.hi(base.gamma, j);
        }
        int at = alpha[j] * t + j;
        positions[j] = at;
        long lo = Blocks.lo(message, 2 * ggm + j) ^ Blocks.lo(known, j) ^ gamma[0];
        long hi = Blocks.hi(message, 2 * ggm + j) ^ Blocks.hi(known, j) ^ gamma[1];
        Blocks.set(leaves, at, lo, hi);
      }
      ExpandAccumulate code = new ExpandAccumulate(shape.codeOutputs(), shape.codeLength(), shape.expanderWeight(), codeSeed);
      code.accumulate(leaves);
      c = Blocks.allocate(shape.codeOutputs());
      a = Blocks.allocate(shape.codeOutputs());
      Arrays.fill(gamma, 0L);
      ExpandAccumulate.SparsePrefix noise = new ExpandAccumulate.SparsePrefix(positions, noiseValues, shape.codeLength(), t);
      code.expand(leaves, c, noise, a, parallel);
      noise.destroy();
      Arrays.fill(beta, (byte) 0);
      if (base != null) {
        base.destroy();
      }
      Arrays.fill(leaves, (byte) 0);
      Arrays.fill(sibling, (byte) 0);
      Arrays.fill(hashes, 0L);
    }

    /** The t outputs (A, C) after the first m, as the next chunk's base VOLE (copies). */
    public ReceiverBase reserved() {
      int from = shape.outputs() * Blocks.BYTES;
      int to = from + shape.trees() * Blocks.BYTES;
      return new ReceiverBase(Arrays.copyOfRange(a(), from, to), Arrays.copyOfRange(c(), from, to));
    }

    /** A, {@link Shape#codeOutputs()} ℓ-bit blocks. */
    public byte[] a() {
      if (a == null) {
        throw new IllegalStateException("finish() first");
      }
      return a;
    }

    /** C = B + A·Δ, {@link Shape#codeOutputs()} blocks. */
    public byte[] c() {
      if (c == null) {
        throw new IllegalStateException("finish() first");
      }
      return c;
    }

    @Override
    public String toString() {
      return "SilentVole.Receiver[" + shape + ", redacted]";
    }
  }
}
