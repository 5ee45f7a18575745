package io.jointly.ot;

import static io.jointly.ot.Iknp.KAPPA;

import io.jointly.core.Bytes;
import io.jointly.core.SecretAccess;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The receiver of the IKNP extension (it chooses a bit {@code c_i} per OT and gets the row {@code
 * t_i}); in the κ base OTs it is the sender, of the seed pairs {@code (k_j^0, k_j^1)}.
 *
 * <p>Per batch of m OTs ({@link #extend}): it expands {@code T_j = G(k_j^0)} and {@code G(k_j^1)}
 * for every column j &lt; κ, sends {@code U_j = T_j ⊕ G(k_j^1) ⊕ c} ({@link Extension#message}) and
 * keeps the rows {@code t_i} of the transposed T ({@link Extension#rows}). The sender, holding
 * {@code k_j^{s_j}}, gets {@code q_i = t_i ⊕ c_i·s} ({@link IknpSender#extend}).
 *
 * <p>Holds secrets (the seed pairs): confined to one party's protocol thread; {@link #destroy}
 * zeroes them.
 */
public final class IknpReceiver {
  private final byte[][] seed0 = new byte[KAPPA][16];
  private final byte[][] seed1 = new byte[KAPPA][16];
  private final BatchOrder batches = new BatchOrder();
  private boolean destroyed;

  /** Fresh seed pairs from {@code random}. */
  public IknpReceiver(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    for (int j = 0; j < KAPPA; j++) {
      random.nextBytes(seed0[j]);
      random.nextBytes(seed1[j]);
    }
  }

  /**
   * This party's message {@code k_j^bit} in base OT j (16 bytes, a copy the caller should zero once
   * sent): the peer must learn {@code k_j^{s_j}} for its secret bit {@code s_j} and nothing of the
   * other.
   */
  public byte[] baseOtMessage(int j, int bit, SecretAccess access) {
    Objects.requireNonNull(access, "access");
    Objects.checkIndex(j, KAPPA);
    if (bit != 0 && bit != 1) {
      throw new IllegalArgumentException("a base-OT message is chosen by a bit");
    }
    requireLive();
    return (bit == 0 ? seed0[j] : seed1[j]).clone();
  }

  /**
   * One batch of {@code m} OTs.
   *
   * @param batch this batch's number: every batch of an instance needs a larger one than the last
   *     (it selects the PRG stream, and reusing one would reuse the pads)
   * @param choices the choice bits, bit i at {@code (choices[i/64] >>> i%64) & 1}; at least {@link
   *     Iknp#words}{@code (m)} words
   * @throws IllegalStateException if {@code batch} does not exceed the previous batch number
   */
  public Extension extend(long batch, long[] choices, int m) {
    int words = Iknp.words(m);
    if (choices.length < words) {
      throw new IllegalArgumentException("fewer choice words than the batch needs");
    }
    requireLive();
    batches.next(batch);
    long[][] t = new long[KAPPA][];
    long[][] u = new long[KAPPA][];
    for (int j = 0; j < KAPPA; j++) {
      t[j] = Iknp.prg(seed0[j], batch, words);
      long[] g1 = Iknp.prg(seed1[j], batch, words);
      long[] uj = new long[words];
      for (int w = 0; w < words; w++) {
        uj[w] = t[j][w] ^ g1[w] ^ choices[w];
      }
      u[j] = uj;
    }
    long[][] rows = new long[m][2];
    Iknp.transpose(t, words, rows);
    return new Extension(Iknp.encode(u), rows);
  }

  /** Zeroes the seeds; the instance is unusable afterwards. */
  public void destroy() {
    destroyed = true;
    for (int j = 0; j < KAPPA; j++) {
      Arrays.fill(seed0[j], (byte) 0);
      Arrays.fill(seed1[j], (byte) 0);
    }
  }

  private void requireLive() {
    if (destroyed) {
      throw new IllegalStateException("the extension receiver was destroyed");
    }
  }

  @Override
  public String toString() {
    return "IknpReceiver[κ=" + KAPPA + ", seeds redacted]";
  }

  /** One batch at the receiver: the message for the sender and the rows it keeps. */
  public static final class Extension {
    private final Bytes message;
    private final long[][] rows;

    Extension(Bytes message, long[][] rows) {
      this.message = message;
      this.rows = rows;
    }

    /**
     * U, to send to the extension sender: the κ columns in order, each {@link Iknp#words}{@code
     * (m)} longs big-endian ({@link Iknp#messageLength} bytes).
     */
    public Bytes message() {
      return message;
    }

    /**
     * The rows {@code t_i}, i &lt; m, each a block of two longs (bit j of row i at {@code
     * (rows[i][j/64] >>> j%64) & 1}). Secret: together with the choices they are this party's OT
     * outputs. The array is the caller's (not copied).
     */
    public long[][] rows() {
      return rows;
    }

    @Override
    public String toString() {
      return "IknpReceiver.Extension[" + rows.length + " OTs, rows redacted]";
    }
  }
}
