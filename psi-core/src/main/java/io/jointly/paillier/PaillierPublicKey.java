package io.jointly.paillier;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.paillier.internal.ModArithmetic;
import io.jointly.paillier.internal.SquareModulus;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Paillier public key: the modulus {@code n = p·q}, with generator {@code g = n + 1} (so {@code
 * g^m = 1 + m·n mod n²} costs one multiplication; Paillier 1999 allows any g of order a multiple
 * of n, and n + 1 is the usual choice, e.g. Damgård–Jurik 2001).
 *
 * <p>Canonical encoding: {@code n} big-endian, exactly {@code modulusBits/8} bytes ({@link
 * #toBytes()}). {@link #fromBytes} validates what a peer sent: exact length and bit length, odd, no
 * prime factor below 2^16, not prime, not a perfect square. That is what can be checked cheaply;
 * it does not prove that n is the product of two primes of equal size (that would need a
 * zero-knowledge proof of a well-formed modulus, which the semi-honest protocols here do not use).
 *
 * <p>Ciphertexts are encoded as residues mod {@code n²}, big-endian, exactly {@code modulusBits/4}
 * bytes; {@link #decodeCiphertext} checks {@code 0 < c < n²} and {@code gcd(c, n) = 1}.
 *
 * <p>Immutable and thread-safe; equal when the moduli are equal.
 */
public final class PaillierPublicKey {
  private static final BigInteger SMALL_PRIMES_PRODUCT = smallPrimesProduct(1 << 16);

  private final BigInteger n;
  private final BigInteger nSquared;
  private final int modulusBits;
  private final ModArithmetic arith;
  private final SquareModulus squareModulus;

  PaillierPublicKey(BigInteger n, int modulusBits) {
    this.n = Objects.requireNonNull(n, "n");
    if (n.bitLength() != modulusBits || !n.testBit(0)) {
      throw new IllegalArgumentException("n must be odd with exactly modulusBits bits");
    }
    this.modulusBits = modulusBits;
    this.nSquared = n.multiply(n);
    this.arith = new ModArithmetic(nSquared);
    this.squareModulus = new SquareModulus(n);
  }

  /**
   * Decodes and validates a public key received from a peer.
   *
   * @param encoded {@code n}, big-endian, {@code expected.publicKeyBytes()} bytes
   * @param expected the parameters agreed for this run (only the modulus size is used)
   * @throws ProtocolAbortException if the encoding or the modulus is invalid
   */
  public static PaillierPublicKey fromBytes(Bytes encoded, PaillierParameters expected)
      throws ProtocolAbortException {
    Objects.requireNonNull(expected, "expected");
    Abort.unlessWellFormed(
        encoded.length() == expected.publicKeyBytes(), "Paillier public key has the wrong length");
    BigInteger n = new BigInteger(1, encoded.toByteArray());
    Abort.unless(
        n.bitLength() == expected.modulusBits(),
        Reason.INVALID_ELEMENT,
        "Paillier modulus does not have the agreed bit length");
    Abort.unless(n.testBit(0), Reason.INVALID_ELEMENT, "Paillier modulus is even");
    Abort.unless(
        n.gcd(SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE),
        Reason.INVALID_ELEMENT,
        "Paillier modulus has a small prime factor");
    BigInteger root = n.sqrt();
    Abort.unless(
        !root.multiply(root).equals(n), Reason.INVALID_ELEMENT, "Paillier modulus is a square");
    Abort.unless(!n.isProbablePrime(8), Reason.INVALID_ELEMENT, "Paillier modulus is prime");
    return new PaillierPublicKey(n, expected.modulusBits());
  }

  /** The modulus n. */
  public BigInteger n() {
    return n;
  }

  /** {@code n²}, the ciphertext modulus. */
  public BigInteger nSquared() {
    return nSquared;
  }

  public int modulusBits() {
    return modulusBits;
  }

  /** Bytes of one encoded ciphertext: {@code modulusBits/4}. */
  public int ciphertextBytes() {
    return modulusBits / 4;
  }

  /** The canonical encoding: n, big-endian, {@code modulusBits/8} bytes. */
  public Bytes toBytes() {
    return Bytes.wrap(fixedWidth(n, modulusBits / 8));
  }

  /** The fixed-width encoding of a ciphertext of this key. */
  public Bytes encode(Ciphertext c) {
    return Bytes.wrap(fixedWidth(checkRange(c), ciphertextBytes()));
  }

  /** Ciphertexts back to back, each {@link #ciphertextBytes()} long. */
  public Bytes encodeAll(List<Ciphertext> cs) {
    int w = ciphertextBytes();
    byte[] out = new byte[Math.multiplyExact(cs.size(), w)];
    for (int i = 0; i < cs.size(); i++) {
      byte[] one = fixedWidth(checkRange(cs.get(i)), w);
      System.arraycopy(one, 0, out, i * w, w);
    }
    return Bytes.wrap(out);
  }

  /**
   * Decodes and validates a ciphertext received from a peer.
   *
   * @throws ProtocolAbortException unless it is {@link #ciphertextBytes()} long and encodes a
   *     residue c with {@code 0 < c < n²} and {@code gcd(c, n) = 1}
   */
  public Ciphertext decodeCiphertext(Bytes encoded) throws ProtocolAbortException {
    Abort.unlessWellFormed(
        encoded.length() == ciphertextBytes(), "Paillier ciphertext has the wrong length");
    return validated(new BigInteger(1, encoded.toByteArray()));
  }

  /**
   * Decodes and validates {@code count} ciphertexts encoded back to back.
   *
   * @throws ProtocolAbortException if the length is not {@code count·ciphertextBytes()} or any
   *     ciphertext is invalid
   */
  public List<Ciphertext> decodeAll(Bytes encoded, int count) throws ProtocolAbortException {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    int w = ciphertextBytes();
    Abort.unlessWellFormed(
        (long) count * w == encoded.length(), "Paillier ciphertext batch has the wrong length");
    byte[] all = encoded.toByteArray();
    List<Ciphertext> out = new ArrayList<>(count);
    byte[] one = new byte[w];
    for (int i = 0; i < count; i++) {
      System.arraycopy(all, i * w, one, 0, w);
      out.add(validated(new BigInteger(1, one)));
    }
    return out;
  }

  /** Package-private: the Barrett arithmetic mod n², shared by every engine of this key. */
  ModArithmetic arithmetic() {
    return arith;
  }

  /** Package-private: base-n arithmetic mod n², for encryption and multi-exponentiation. */
  SquareModulus squareModulus() {
    return squareModulus;
  }

  /** Whether c is a residue in (0, n²); the engine's cheap check on local ciphertexts. */
  BigInteger checkRange(Ciphertext c) {
    BigInteger v = c.value();
    if (v.compareTo(nSquared) >= 0) {
      throw new IllegalArgumentException("ciphertext is not a residue mod n² of this key");
    }
    return v;
  }

  private Ciphertext validated(BigInteger c) throws ProtocolAbortException {
    Abort.unless(
        c.signum() > 0 && c.compareTo(nSquared) < 0,
        Reason.INVALID_ELEMENT,
        "Paillier ciphertext is not in (0, n²)");
    Abort.unless(
        c.mod(n).gcd(n).equals(BigInteger.ONE),
        Reason.INVALID_ELEMENT,
        "Paillier ciphertext is not a unit mod n²");
    return new Ciphertext(c);
  }

  static byte[] fixedWidth(BigInteger v, int width) {
    byte[] raw = v.toByteArray();
    if (raw.length == width) {
      return raw;
    }
    byte[] out = new byte[width];
    if (raw.length > width) {
      // Only a leading sign byte may be dropped.
      if (raw.length != width + 1 || raw[0] != 0) {
        throw new IllegalArgumentException("value does not fit the encoding width");
      }
      System.arraycopy(raw, 1, out, 0, width);
    } else {
      System.arraycopy(raw, 0, out, width - raw.length, raw.length);
    }
    return out;
  }

  private static BigInteger smallPrimesProduct(int bound) {
    BigInteger product = BigInteger.ONE;
    boolean[] composite = new boolean[bound];
    for (int i = 2; i < bound; i++) {
      if (!composite[i]) {
        product = product.multiply(BigInteger.valueOf(i));
        for (long j = (long) i * i; j < bound; j += i) {
          composite[(int) j] = true;
        }
      }
    }
    return product;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierPublicKey other && n.equals(other.n);
  }

  @Override
  public int hashCode() {
    return n.hashCode();
  }

  @Override
  public String toString() {
    return "PaillierPublicKey[" + modulusBits + " bits]";
  }
}
