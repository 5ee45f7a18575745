package io.jointly.ot;

import static io.jointly.ot.Iknp.KAPPA;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The sender of the IKNP extension: it holds a secret {@code s ∈ {0,1}^κ} and, per batch, gets the
 * rows {@code q_i = t_i ⊕ c_i·s} (a correlated OT with the global correlation s); in the κ base
 * OTs it is the receiver, choosing with the bits of s and learning {@code k_j^{s_j}}.
 *
 * <p>Per batch ({@link #extend}): from the receiver's {@code U} it computes {@code Q_j =
 * G(k_j^{s_j}) ⊕ s_j·U_j = T_j ⊕ s_j·c} and transposes. Its two random-OT messages of OT i are
 * {@link #hash}{@code (tweak, q, m, false)} and {@code (…, true)}: {@code H(i, q_i)}, {@code H(i,
 * q_i ⊕ s)}.
 *
 * <p>Holds secrets (s and the seeds): confined to one party's protocol thread; {@link #destroy}
 * zeroes them.
 */
public final class IknpSender {
  /** s as a block: bit j at {@code (delta[j/64] >>> j%64) & 1}. */
  private final long[] delta = new long[2];

  private final byte[][] seeds = new byte[KAPPA][];
  private final BatchOrder batches = new BatchOrder();
  private boolean destroyed;

  /** A fresh secret s from {@code random}. */
  public IknpSender(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    for (int j = 0; j < KAPPA; j++) {
      if (random.nextBoolean()) {
        delta[j >>> 6] |= 1L << (j & 63);
      }
    }
  }

  /** {@code s_j}: this party's choice in base OT j. */
  public int baseOtChoice(int j, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    Objects.checkIndex(j, KAPPA);
    requireLive();
    return (int) ((delta[j >>> 6] >>> (j & 63)) & 1);
  }

  /**
   * s itself, as a block (a copy the caller should zero): for protocols that compute with the
   * global correlation beyond hashing, such as subfield VOLE ({@code io.jointly.vole.SilentVole},
   * where s is the VOLE's Δ).
   */
  public long[] secret(SecretAccess access) {
    Objects.requireNonNull(access, "access");
    requireLive();
    return delta.clone();
  }

  /** Stores what base OT j gave this party, {@code k_j^{s_j}} (16 bytes, copied). */
  public void baseOtResult(int j, byte[] seed) {
    Objects.checkIndex(j, KAPPA);
    if (seed.length != 16) {
      throw new IllegalArgumentException("a base-OT seed has 16 bytes");
    }
    requireLive();
    seeds[j] = seed.clone();
  }

  /**
   * The rows {@code q_i} of a batch of {@code m} OTs from the receiver's message U (each a block of
   * two longs; secret: the caller's array).
   *
   * @param batch the receiver's batch number (see {@link IknpReceiver#extend})
   * @throws ProtocolAbortException if U does not have the length of {@code m} OTs
   * @throws IllegalStateException if a base OT is missing or {@code batch} does not exceed the
   *     previous batch number
   */
  public long[][] extend(long batch, Bytes message, int m) throws ProtocolAbortException {
    int words = Iknp.words(m);
    requireLive();
    for (byte[] s : seeds) {
      if (s == null) {
        throw new IllegalStateException("the base OTs are not complete");
      }
    }
    long[][] u = Iknp.decode(message, m);
    batches.next(batch);
    long[][] q = new long[KAPPA][];
    for (int j = 0; j < KAPPA; j++) {
      long[] g = Iknp.prg(seeds[j], batch, words);
      if (((delta[j >>> 6] >>> (j & 63)) & 1) != 0) {
        for (int w = 0; w < words; w++) {
          g[w] ^= u[j][w];
        }
      }
      q[j] = g;
    }
    long[][] rows = new long[m][2];
    Iknp.transpose(q, words, rows);
    return rows;
  }

  /**
   * {@link CorrelationRobustHash#hash}{@code (tweak, rows, m, plusDelta ? s : null)}: with {@code
   * rows} this sender's {@code q_i}, its message for choice 0 or 1 of every OT, without s leaving
   * this object.
   */
  public long[] hash(long tweak, long[][] rows, int m, boolean plusDelta) {
    requireLive();
    return CorrelationRobustHash.hash(tweak, rows, m, plusDelta ? delta : null);
  }

  /** Zeroes s and the seeds; the instance is unusable afterwards. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(delta, 0);
    for (byte[] s : seeds) {
      if (s != null) {
        Arrays.fill(s, (byte) 0);
      }
    }
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException("the extension sender was destroyed");
    }
  }

  @Override
  public String toString() {
    return "IknpSender[κ=" + KAPPA + ", s and seeds redacted]";
  }
}
