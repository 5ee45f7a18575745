package io.jointly.vole.internal;

import io.jointly.core.Parallel;
import io.jointly.symmetric.Blocks;
import io.jointly.symmetric.FixedKeyAes;

/**
 * A forest of t GGM trees (Goldreich, Goldwasser, Micali, "How to Construct Random Functions",
 * JACM 1986) with s leaves each, expanded level by level in the half-tree form of Guo, Yang, Wang,
 * Zhang, Xie, Liu and Zhao, "Half-Tree: Halving the Cost of Tree Expansion in COT and DPF",
 * EUROCRYPT 2023: the left child of x is {@code H(x) = π(σ(x)) ⊕ σ(x)} (fixed-key AES as an ideal
 * permutation, σ a linear orthomorphism: GKWY20's circular correlation-robust hash, {@link
 * FixedKeyAes#ccr}) and the right child is {@code x ⊕ H(x)} — one AES call per node instead of two,
 * with the pseudorandomness of the punctured leaf resting on H's correlation robustness (GYWZ23
 * §4). Every tree has its own uniformly random secret root. A tree of depth d = ⌈log2 s⌉ keeps at
 * level L the first ⌈s / 2^(d−L)⌉ nodes, so any s works.
 *
 * <p>Layout: the nodes of one level are stored node-major, tree-minor: node u of tree j at block
 * {@code u·t + j}. The last level is therefore the interleaved layout of regular noise (leaf x of
 * tree j at position {@code x·t + j}), each tree one residue class modulo t. Levels are expanded in
 * place, parents from the last to the first so that a child never overwrites an unread parent; a
 * range of trees is independent of the others, so threads take ranges of trees ({@link Parallel}).
 *
 * <p>The sender expands from its roots and records, per tree and level, the XOR of the left
 * (even) and of the right (odd) children. The receiver, holding for each tree a punctured index α
 * and, per level, the sum of the side its path does not take, rebuilds every node except the path:
 * the single-point punctured PRF of the silent-OT papers (Boyle, Couteau, Gilboa, Ishai, Kohl,
 * Scholl, "Efficient Pseudorandom Correlation Generators: Silent OT and More", CRYPTO 2019 §4; the
 * OT-based evaluation of Boyle et al., CCS 2019 "Efficient Two-Round OT Extension and Silent
 * Non-Interactive Secure Computation", Fig. 13).
 *
 * <p>Stateless; each thread uses its own AES instances.
 */
public final class GgmForest {
  private static final int CHUNK_BLOCKS = 1 << 13;
  private static final int TREES_PER_TASK = 128;

  private GgmForest() {}

  /** ⌈log2 s⌉ for s ≥ 2. */
  public static int depth(int s) {
    if (s < 2) {
      throw new IllegalArgumentException("a tree needs at least 2 leaves");
    }
    return 32 - Integer.numberOfLeadingZeros(s - 1);
  }

  /** Nodes per tree at {@code level} of a depth-d tree with s leaves. */
  static int nodes(int s, int d, int level) {
    return (int) (((long) s + (1L << (d - level)) - 1) >>> (d - level));
  }

  private static FixedKeyAes prg() {
    return FixedKeyAes.named("jointly/ggm/half-tree");
  }

  /**
   * Expands the sender's forest.
   *
   * @param roots t blocks, the secret roots
   * @param leaves t·s blocks, receives the leaves (interleaved)
   * @param sums d·t·2 blocks, receives at {@code (L·t + j)·2 + side} the XOR of the {@code side}
   *     children (0 even, 1 odd) of tree j at level L + 1
   */
  public static void expandSender(byte[] roots, int t, int s, byte[] leaves, byte[] sums, Parallel parallel) {
    int d = depth(s);
    System.arraycopy(roots, 0, leaves, 0, t * Blocks.BYTES);
    java.util.Arrays.fill(sums, 0, d * t * 2 * Blocks.BYTES, (byte) 0);
    parallel.forRange(
        t,
        TREES_PER_TASK,
        (j0, j1) -> {
          FixedKeyAes g = prg();
          Scratch sc = new Scratch(j1 - j0);
          for (int level = 0; level < d; level++) {
            expandLevel(g, leaves, t, s, d, level, j0, j1, sums, level * t * 2, sc);
          }
        });
  }

  /**
   * Expands the receiver's forest: every node except the path to {@code alpha[j]} in each tree j.
   * The path's leaf is left zero.
   *
   * @param alpha t punctured leaf indexes in [0, s)
   * @param siblingSums d·t blocks: at {@code L·t + j} the sender's sum of the side of level L + 1
   *     that tree j's path does not take
   * @param leaves t·s blocks, receives the leaves (interleaved), zero at the punctured positions
   * @param knownXor t blocks, receives per tree the XOR of all its leaves but the punctured one
   */
  public static void expandReceiver(
      int[] alpha, int t, int s, byte[] siblingSums, byte[] leaves, byte[] knownXor, Parallel parallel) {
    int d = depth(s);
    java.util.Arrays.fill(leaves, 0, t * Blocks.BYTES, (byte) 0);
    parallel.forRange(
        t,
        TREES_PER_TASK,
        (j0, j1) -> {
          FixedKeyAes g = prg();
          Scratch sc = new Scratch(j1 - j0);
          // Side sums of this range's trees for the current level, at 2j + side (j global).
          byte[] sums = Blocks.allocate(2 * t);
          for (int level = 0; level < d; level++) {
            java.util.Arrays.fill(sums, 2 * j0 * Blocks.BYTES, 2 * j1 * Blocks.BYTES, (byte) 0);
            expandLevel(g, leaves, t, s, d, level, j0, j1, sums, 0, sc);
            fixLevel(alpha, t, s, d, level, j0, j1, siblingSums, sums, leaves, knownXor);
          }
        });
  }

  /** The receiver's correction of level + 1 for trees [j0, j1): the sibling of its path, the path zeroed. */
  private static void fixLevel(
      int[] alpha, int t, int s, int d, int level, int j0, int j1, byte[] siblingSums, byte[] sums, byte[] leaves, byte[] knownXor) {
    int next = nodes(s, d, level + 1);
    boolean last = level + 1 == d;
    for (int j = j0; j < j1; j++) {
      int path = alpha[j] >>> (d - level - 1);
      int sib = path ^ 1;
      int pathAt = path * t + j;
      long xLo = 0;
      long xHi = 0;
      if (last) {
        // XOR of all leaves as computed, minus the garbage on the path; the sibling is fixed below.
        xLo = Blocks.lo(sums, 2 * j) ^ Blocks.lo(sums, 2 * j + 1) ^ Blocks.lo(leaves, pathAt);
        xHi = Blocks.hi(sums, 2 * j) ^ Blocks.hi(sums, 2 * j + 1) ^ Blocks.hi(leaves, pathAt);
      }
      if (sib < next) {
        int sibAt = sib * t + j;
        int side = sib & 1;
        long gLo = Blocks.lo(leaves, sibAt);
        long gHi = Blocks.hi(leaves, sibAt);
        // value = K ⊕ (side sum as computed ⊕ garbage at the sibling)
        long vLo = Blocks.lo(siblingSums, level * t + j) ^ Blocks.lo(sums, 2 * j + side) ^ gLo;
        long vHi = Blocks.hi(siblingSums, level * t + j) ^ Blocks.hi(sums, 2 * j + side) ^ gHi;
        Blocks.set(leaves, sibAt, vLo, vHi);
        xLo ^= gLo ^ vLo;
        xHi ^= gHi ^ vHi;
      }
      Blocks.set(leaves, pathAt, 0, 0);
      if (last) {
        Blocks.set(knownXor, j, xLo, xHi);
      }
    }
  }

  private static final class Scratch {
    final byte[] parents;
    final byte[] left;
    final byte[] sigma;
    final int nodesPerChunk;

    Scratch(int width) {
      nodesPerChunk = Math.max(1, CHUNK_BLOCKS / width);
      parents = Blocks.allocate(nodesPerChunk * width);
      left = Blocks.allocate(nodesPerChunk * width);
      sigma = Blocks.allocate(nodesPerChunk * width);
    }
  }

  /**
   * Level → level + 1 in place for trees [j0, j1), parents taken from the top down so that a child
   * block never overwrites a parent not yet read. Side sums go to {@code sums} at {@code sumBase +
   * 2j + side}.
   */
  private static void expandLevel(
      FixedKeyAes g, byte[] buf, int t, int s, int d, int level, int j0, int j1, byte[] sums, int sumBase, Scratch sc) {
    int parents = nodes(s, d, level);
    int children = nodes(s, d, level + 1);
    int w = j1 - j0;
    int rowBytes = w * Blocks.BYTES;
    for (int u1 = parents; u1 > 0; ) {
      int u0 = Math.max(0, u1 - sc.nodesPerChunk);
      int count = (u1 - u0) * w;
      for (int u = u0; u < u1; u++) {
        System.arraycopy(buf, (u * t + j0) * Blocks.BYTES, sc.parents, (u - u0) * rowBytes, rowBytes);
      }
      g.ccr(sc.parents, 0, sc.left, 0, count, sc.sigma);
      // right = parent ⊕ left, computed in place over the parents
      Blocks.xorRange(sc.parents, 0, sc.left, 0, count);
      for (int u = u1 - 1; u >= u0; u--) {
        int row = (u - u0) * w;
        System.arraycopy(sc.left, row * Blocks.BYTES, buf, (2 * u * t + j0) * Blocks.BYTES, rowBytes);
        for (int j = 0; j < w; j++) {
          Blocks.xorInto(sums, sumBase + 2 * (j0 + j), sc.left, row + j);
        }
        if (2 * u + 1 < children) {
          System.arraycopy(sc.parents, row * Blocks.BYTES, buf, ((2 * u + 1) * t + j0) * Blocks.BYTES, rowBytes);
          for (int j = 0; j < w; j++) {
            Blocks.xorInto(sums, sumBase + 2 * (j0 + j) + 1, sc.parents, row + j);
          }
        }
      }
      u1 = u0;
    }
  }
}
