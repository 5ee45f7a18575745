package io.jointly.secagg;

import io.jointly.core.FixedPoint;
import io.jointly.core.InputException;
import io.jointly.secagg.internal.MaskPrg;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The arithmetic of secure aggregation in Z_2^64, as pure functions over value types (no channels):
 * encoding, masking and unmasking. With {@code PRG} = {@link MaskPrg}, client u sends
 *
 * <pre>
 *   y_u = x_u + PRG(b_u) + Σ_{v ∈ U2 ∩ N(u)} σ(u, v) · PRG(s_{u,v})   (mod 2^64),
 *   σ(u, v) = +1 if u &lt; v, −1 if u &gt; v (roster indexes),
 * </pre>
 *
 * (Bonawitz et al. 2017, round MaskedInputCollection), and the server computes
 *
 * <pre>
 *   z = Σ_{u ∈ U3} y_u − Σ_{u ∈ U3} PRG(b_u) − Σ_{u ∈ U2∖U3} Σ_{v ∈ U3 ∩ N(u)} σ(v, u) · PRG(s_{u,v})
 *     = Σ_{u ∈ U3} x_u,
 * </pre>
 *
 * since the pairwise masks of two survivors cancel (σ(u, v) = −σ(v, u)).
 */
final class Masking {
  /** Values per {@link Round#MASKED_INPUT} message (512 KiB of words); even, as MaskPrg needs. */
  static final int BATCH_WORDS = 1 << 16;

  private Masking() {}

  /** One keystream and the sign it is applied with. Holds a secret seed: wipe it when done. */
  static final class MaskStream {
    final byte[] seed;
    final boolean negate;

    MaskStream(byte[] seed, boolean negate) {
      this.seed = seed;
      this.negate = negate;
    }

    void wipe() {
      java.util.Arrays.fill(seed, (byte) 0);
    }

    @Override
    public String toString() {
      return "MaskStream[redacted, " + (negate ? "-" : "+") + "]";
    }
  }

  /** σ(u, v) as "negate": u's pairwise mask with v is subtracted iff u &gt; v. */
  static boolean pairNegated(int u, int v) {
    return u > v;
  }

  /**
   * Encodes the values with {@code fp}.
   *
   * @throws InputException {@code INVALID_INPUT} naming the (1-based) position of the first value
   *     that is not finite or exceeds {@code maxAbs} (never the value)
   */
  static long[] encode(double[] values, FixedPoint fp, double maxAbs) throws InputException {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v) || Math.abs(v) > maxAbs) {
        throw new InputException(
            InputException.Kind.INVALID_INPUT,
            i + 1,
            "value is not finite or exceeds the declared bound maxAbs");
      }
      out[i] = fp.encode(v);
    }
    return out;
  }

  /**
   * Applies every stream to {@code acc[offset .. offset+count)}, taking words {@code firstWord ..}
   * of each stream.
   */
  static void apply(long[] acc, int offset, long firstWord, int count, List<MaskStream> streams) {
    for (MaskStream s : streams) {
      MaskPrg.apply(s.seed, firstWord, acc, offset, count, s.negate);
    }
  }

  /** {@link #apply} over the whole of {@code acc}, in {@code parallelism} slices on the executor. */
  static void applyParallel(long[] acc, List<MaskStream> streams, Executor executor, int parallelism) {
    int slices = Math.max(1, Math.min(parallelism, acc.length / 4096));
    int step = ((acc.length / slices) + 1) & ~1; // even slice starts
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    for (int from = 0; from < acc.length; from += step) {
      int start = from;
      int len = Math.min(step, acc.length - from);
      parts.add(CompletableFuture.runAsync(() -> apply(acc, start, start, len, streams), executor));
    }
    try {
      CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
