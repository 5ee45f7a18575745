package io.jointly.ot;

import io.jointly.core.Abort;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.group.PrimeOrderGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of random 1-out-of-2 oblivious transfers of 128-bit keys from a prime-order group: the
 * "simplest OT" of Chou and Orlandi ("The Simplest Protocol for Oblivious Transfer", LATINCRYPT
 * 2015), semi-honest, with the key derivation hashing the whole exchange as the later analyses
 * require (Hauck and Loss, "Efficient and Universally Composable Protocols for Oblivious Transfer
 * from the CDH Assumption", eprint 2017/1011; Genç, Iovino and Rial, "'The simplest protocol for
 * oblivious transfer' revisited", Information Processing Letters 161, 2020, who show that the
 * original proof does not hold and why the keys must bind the transcript), run in a prime-order
 * group (ristretto255) so that no cofactor or invalid-point issue arises.
 *
 * <h2>Protocol</h2>
 *
 * With G the generator, H = SHA-256 over a domain tag, the session tag, the OT index j and the
 * encodings, truncated to 16 bytes:
 *
 * <ol>
 *   <li>The sender picks a random scalar a and sends {@code A = a·G} ({@link Sender#firstMessage}).
 *   <li>For each OT j with choice bit {@code c_j}, the receiver picks a random scalar {@code b_j}
 *       and sends {@code B_j = b_j·G + c_j·A} ({@link Receiver#respond}).
 *   <li>The sender's keys are {@code k_j^0 = H(j, A, B_j, a·B_j)} and {@code k_j^1 = H(j, A, B_j,
 *       a·(B_j − A))} ({@link Sender#keys}); the receiver's is {@code k_j^{c_j} = H(j, A, B_j,
 *       b_j·A)} ({@link Receiver#keys}).
 * </ol>
 *
 * <h2>Security (semi-honest, CDH in the group, H a random oracle)</h2>
 *
 * {@code B_j} is a uniformly random element whatever {@code c_j}, so the sender learns nothing of
 * the choices; the receiver would need {@code a·b_j·G − a·A}, a CDH instance, to get the other key.
 * Every received element is validated (canonical, in the group, not the identity) and a malformed
 * message ends the run with {@link ProtocolAbortException}; this class does not claim security
 * against a malicious receiver beyond that.
 *
 * <p>Cost: sender 2 + n scalar multiplications ({@code a·(B_j − A)} as {@code a·B_j − a·A}),
 * receiver 2n; messages of 32 and 32n bytes for ristretto255. Choice bits are handled in constant time (both candidate elements are computed and
 * one is selected without branching).
 *
 * <p>Instances hold secrets (scalars, choices, keys), are confined to one thread and print
 * redacted.
 */
public final class BaseOt {
  /** Bytes of each transferred key. */
  public static final int KEY_BYTES = 16;

  private static final byte[] DOMAIN = "jointly/base-ot/chou-orlandi/v1".getBytes(StandardCharsets.US_ASCII);

  private BaseOt() {}

  /** The sender: learns both keys of every OT. */
  public static final class Sender {
    private final PrimeOrderGroup group;
    private final byte[] sessionTag;
    private final GroupScalar a;
    private final byte[] bigA;

    /**
     * @param sessionTag bytes that make this run's keys unique (for example a hash of the session
     *     id and the purpose); the receiver must use the same
     */
    public Sender(PrimeOrderGroup group, byte[] sessionTag, SecureRandom random) {
      this.group = Objects.requireNonNull(group);
      this.sessionTag = sessionTag.clone();
      this.a = group.randomScalar(random);
      this.bigA = group.baseMultiply(a);
    }

    /** {@code A = a·G}. */
    public byte[] firstMessage() {
      return bigA.clone();
    }

    /**
     * Both keys of each of the {@code count} OTs from the receiver's message: {@code keys[j][0]}
     * and {@code keys[j][1]}. Destroys the secret scalar.
     *
     * @throws ProtocolAbortException if the message has the wrong length or holds an invalid
     *     element
     */
    public byte[][][] keys(byte[] receiverMessage, int count) throws ProtocolAbortException {
      int len = group.elementLength();
      Abort.unlessWellFormed(
          receiverMessage.length == (long) count * len,
          "base OT reply has " + receiverMessage.length + " bytes, expected " + (long) count * len);
      byte[][][] keys = new byte[count][2][];
      try {
        // a·(B − A) = a·B − a·A: one scalar multiplication per OT.
        byte[] aA = group.multiply(a, bigA);
        for (int j = 0; j < count; j++) {
          byte[] bj = Arrays.copyOfRange(receiverMessage, j * len, (j + 1) * len);
          byte[] p0 = group.multiply(a, bj);
          byte[] p1 = group.subtract(p0, aA);
          keys[j][0] = kdf(sessionTag, j, bigA, bj, p0);
          keys[j][1] = kdf(sessionTag, j, bigA, bj, p1);
          Arrays.fill(p0, (byte) 0);
          Arrays.fill(p1, (byte) 0);
        }
        Arrays.fill(aA, (byte) 0);
      } finally {
        a.destroy();
      }
      return keys;
    }

    @Override
    public String toString() {
      return "BaseOt.Sender[redacted]";
    }
  }

  /** The receiver: learns the key of its choice in every OT. */
  public static final class Receiver {
    private final PrimeOrderGroup group;
    private final byte[] sessionTag;
    private final boolean[] choices;
    private final GroupScalar[] b;
    private byte[] bigA;
    private byte[][] bs;

    /** A receiver with the given choice bits (copied). */
    public Receiver(PrimeOrderGroup group, byte[] sessionTag, boolean[] choices, SecureRandom random) {
      this.group = Objects.requireNonNull(group);
      this.sessionTag = sessionTag.clone();
      this.choices = choices.clone();
      this.b = new GroupScalar[choices.length];
      for (int j = 0; j < choices.length; j++) {
        b[j] = group.randomScalar(random);
      }
    }

    /**
     * {@code B_j = b_j·G + c_j·A} for every OT, concatenated.
     *
     * @throws ProtocolAbortException if {@code A} is not a valid non-identity element
     */
    public byte[] respond(byte[] senderMessage) throws ProtocolAbortException {
      int len = group.elementLength();
      Abort.unlessWellFormed(
          senderMessage.length == len, "base OT first message has " + senderMessage.length + " bytes, expected " + len);
      // A is validated (and the identity refused) by the first add below, before any output.
      bigA = senderMessage.clone();
      bs = new byte[choices.length][];
      byte[] out = new byte[choices.length * len];
      for (int j = 0; j < choices.length; j++) {
        byte[] p0 = group.baseMultiply(b[j]);
        byte[] p1 = group.add(p0, bigA);
        int mask = choices[j] ? 0xFF : 0; // constant-time select of p1 (c = 1) or p0 (c = 0)
        byte[] bj = new byte[len];
        for (int i = 0; i < len; i++) {
          bj[i] = (byte) ((p0[i] & ~mask) | (p1[i] & mask));
        }
        bs[j] = bj;
        System.arraycopy(bj, 0, out, j * len, len);
      }
      return out;
    }

    /** The chosen key of each OT. Destroys the secret scalars; call after {@link #respond}. */
    public byte[][] keys() throws ProtocolAbortException {
      if (bs == null) {
        throw new IllegalStateException("respond() first");
      }
      byte[][] keys = new byte[choices.length][];
      for (int j = 0; j < choices.length; j++) {
        byte[] p = group.multiply(b[j], bigA);
        keys[j] = kdf(sessionTag, j, bigA, bs[j], p);
        Arrays.fill(p, (byte) 0);
        b[j].destroy();
      }
      return keys;
    }

    @Override
    public String toString() {
      return "BaseOt.Receiver[" + choices.length + " OTs, redacted]";
    }
  }

  /** {@code SHA-256(len(domain)‖domain‖len(tag)‖tag‖j‖A‖B‖P)[0..16)}. */
  static byte[] kdf(byte[] tag, int j, byte[] bigA, byte[] bigB, byte[] point) {
    MessageDigest d = sha256();
    d.update((byte) DOMAIN.length);
    d.update(DOMAIN);
    d.update(new byte[] {(byte) (tag.length >>> 8), (byte) tag.length});
    d.update(tag);
    d.update(new byte[] {(byte) (j >>> 24), (byte) (j >>> 16), (byte) (j >>> 8), (byte) j});
    d.update(bigA);
    d.update(bigB);
    d.update(point);
    byte[] full = d.digest();
    byte[] key = Arrays.copyOf(full, KEY_BYTES);
    Arrays.fill(full, (byte) 0);
    return key;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
