package io.jointly.paillier;

import io.jointly.core.FixedPoint;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Many fixed-point values per Paillier plaintext: slot j of a plaintext holds the signed integer
 * {@code vⱼ} at weight {@code 2^(j·slotBits)}, so one homomorphic addition adds every slot at once.
 *
 * <h2>Layout and bounds</h2>
 *
 * The caller declares the value range ({@code |x| ≤ maxAbs}) and how many packed plaintexts may be
 * summed ({@code additions}; a scalar multiplication by k counts as |k|). A slot then never holds
 * more than {@code additions · ⌈maxAbs·2^f⌉} in magnitude, which needs {@link #slotBits()} =
 * {@link FixedPoint#bitsFor(double, long)} bits including the sign; a plaintext carries {@link
 * #slots()} = ⌊(|n| − 2)/slotBits⌋ slots, so the packed integer {@code T = Σ vⱼ·2^(j·slotBits)}
 * satisfies {@code |T| < 2^(|n|−3) < n/2} and is recovered exactly from {@code T mod n} by the
 * centred lift.
 *
 * <h2>Signed slots</h2>
 *
 * Slots are balanced digits, not biased: T is the plain signed sum above, reduced mod n. Decoding
 * lifts T to (−n/2, n/2] and peels slots off from the lowest, each the centred residue of T mod
 * {@code 2^slotBits} (a negative slot borrows one from the next, and the next digit gives it back).
 * Unlike an offset (bias) encoding, the decoder need not know how many additions were made, and
 * scalar multiplication by a negative k works slot-wise.
 *
 * <h2>Overflow</h2>
 *
 * Impossible by construction: {@link #pack} rejects values outside ±maxAbs, and the operations here
 * reject any result whose weight would exceed {@code additions}. Decoding still checks that no
 * slot exceeds its bound and that nothing is left above the last slot, and throws {@link
 * ArithmeticException} rather than return a wrong value (this catches ciphertexts combined
 * outside this class).
 *
 * @param codec the fixed-point encoding of each slot
 * @param maxAbs the largest magnitude of a value packed
 * @param additions the largest weight of a result (≥ 1)
 * @param modulusBits the Paillier modulus size
 */
public record PackedEncoding(FixedPoint codec, double maxAbs, long additions, int modulusBits) {

  public PackedEncoding {
    Objects.requireNonNull(codec, "codec");
    if (!(maxAbs > 0) || maxAbs > codec.maxAbs()) {
      throw new IllegalArgumentException("maxAbs must be positive and within the codec's range");
    }
    if (additions < 1) {
      throw new IllegalArgumentException("additions must be at least 1");
    }
    if (modulusBits < PaillierParameters.MIN_MODULUS_BITS) {
      throw new IllegalArgumentException("modulus too small");
    }
    if ((modulusBits - 2) / codec.bitsFor(maxAbs, additions) < 1) {
      throw new IllegalArgumentException("one slot does not fit the modulus");
    }
  }

  /** An encoding for keys of {@code params}' size. */
  public static PackedEncoding of(
      FixedPoint codec, double maxAbs, long additions, PaillierParameters params) {
    return new PackedEncoding(codec, maxAbs, additions, params.modulusBits());
  }

  /** Bits per slot, sign included. */
  public int slotBits() {
    return codec.bitsFor(maxAbs, additions);
  }

  /** Slots per plaintext. */
  public int slots() {
    return (modulusBits - 2) / slotBits();
  }

  /** The largest magnitude of one fresh encoded value, {@code ⌈maxAbs·2^f⌉}. */
  public long maxEncoded() {
    return (long) Math.ceil(Math.scalb(maxAbs, codec.fractionalBits()));
  }

  /**
   * Packs encoded values into a plaintext residue mod n.
   *
   * @throws IllegalArgumentException if there are more values than slots, none, or a value's
   *     magnitude exceeds {@link #maxEncoded()}
   */
  public BigInteger pack(long[] encoded, PaillierPublicKey key) {
    checkKey(key);
    if (encoded.length < 1 || encoded.length > slots()) {
      throw new IllegalArgumentException("1.." + slots() + " values fit one plaintext");
    }
    long max = maxEncoded();
    int s = slotBits();
    BigInteger t = BigInteger.ZERO;
    for (int j = encoded.length - 1; j >= 0; j--) {
      long v = encoded[j];
      if (v > max || v < -max) {
        throw new IllegalArgumentException("a value is outside the declared range ±maxAbs");
      }
      t = t.shiftLeft(s).add(BigInteger.valueOf(v));
    }
    return t.signum() < 0 ? t.add(key.n()) : t;
  }

  /**
   * Unpacks {@code count} slots of a plaintext residue whose weight is at most {@link
   * #additions()}.
   *
   * @throws ArithmeticException if a slot exceeds its bound, bits remain above the last slot, or a
   *     slot's value does not fit a {@code long} (possible only when {@code additions ·
   *     maxEncoded()} exceeds 2^63)
   */
  public long[] unpack(BigInteger residue, int count, PaillierPublicKey key) {
    checkKey(key);
    checkCount(count);
    int s = slotBits();
    BigInteger t = FixedPoint.lift(residue, key.n());
    BigInteger modulus = BigInteger.ONE.shiftLeft(s);
    BigInteger half = BigInteger.ONE.shiftLeft(s - 1);
    BigInteger bound = BigInteger.valueOf(maxEncoded()).multiply(BigInteger.valueOf(additions));
    long[] out = new long[count];
    for (int j = 0; j < count; j++) {
      BigInteger d = t.mod(modulus);
      if (d.compareTo(half) >= 0) {
        d = d.subtract(modulus);
      }
      if (d.abs().compareTo(bound) > 0) {
        throw new ArithmeticException("packed slot exceeds its declared bound");
      }
      out[j] = d.longValueExact();
      t = t.subtract(d).shiftRight(s);
    }
    if (t.signum() != 0) {
      throw new ArithmeticException("packed plaintext has bits beyond its slots");
    }
    return out;
  }

  /** Encodes with the codec and packs. */
  public BigInteger pack(double[] values, PaillierPublicKey key) {
    return pack(encodeAll(values), key);
  }

  /** Encrypts encoded values into one packed ciphertext of weight 1. */
  public PackedCiphertext encryptEncoded(PaillierEncryptor encryptor, long[] encoded) {
    return new PackedCiphertext(
        encryptor.encrypt(pack(encoded, encryptor.publicKey())), encoded.length, 1);
  }

  /** Encodes, packs and encrypts values into one packed ciphertext of weight 1. */
  public PackedCiphertext encrypt(PaillierEncryptor encryptor, double[] values) {
    return encryptEncoded(encryptor, encodeAll(values));
  }

  /**
   * A packed ciphertext received from a peer, with the count and weight the protocol fixes.
   *
   * @throws IllegalArgumentException if count or weight are outside this encoding's bounds
   */
  public PackedCiphertext wrap(Ciphertext c, int count, long weight) {
    checkCount(count);
    checkWeight(weight);
    return new PackedCiphertext(c, count, weight);
  }

  /**
   * Slot-wise sum.
   *
   * @throws IllegalArgumentException if the sum's weight would exceed {@link #additions()}
   */
  public PackedCiphertext add(PaillierEncryptor encryptor, PackedCiphertext a, PackedCiphertext b) {
    long w = checkWeight(addWeights(a.weight(), b.weight()));
    return new PackedCiphertext(
        encryptor.add(a.ciphertext(), b.ciphertext()), Math.max(a.count(), b.count()), w);
  }

  /** Slot-wise difference {@code a − b}; weights add as for {@link #add}. */
  public PackedCiphertext subtract(
      PaillierEncryptor encryptor, PackedCiphertext a, PackedCiphertext b) {
    long w = checkWeight(addWeights(a.weight(), b.weight()));
    return new PackedCiphertext(
        encryptor.subtract(a.ciphertext(), b.ciphertext()), Math.max(a.count(), b.count()), w);
  }

  /** Slot-wise sum of many; the weight is the sum of weights. */
  public PackedCiphertext sum(PaillierEncryptor encryptor, List<PackedCiphertext> cs) {
    if (cs.isEmpty()) {
      throw new IllegalArgumentException("nothing to sum");
    }
    long w = 0;
    int count = 0;
    Ciphertext[] parts = new Ciphertext[cs.size()];
    for (int i = 0; i < parts.length; i++) {
      PackedCiphertext c = cs.get(i);
      w = checkWeight(addWeights(w, c.weight()));
      count = Math.max(count, c.count());
      parts[i] = c.ciphertext();
    }
    return new PackedCiphertext(encryptor.sum(List.of(parts)), count, w);
  }

  /**
   * Every slot times the signed integer k (k ≠ 0); the weight is multiplied by |k|.
   *
   * @throws IllegalArgumentException if k is 0 or the weight would exceed {@link #additions()}
   */
  public PackedCiphertext multiply(PaillierEncryptor encryptor, PackedCiphertext a, long k) {
    if (k == 0 || k == Long.MIN_VALUE) {
      throw new IllegalArgumentException("scalar must be non-zero and above Long.MIN_VALUE");
    }
    long w;
    try {
      w = Math.multiplyExact(a.weight(), Math.abs(k));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("packed weight exceeds the declared additions", e);
    }
    checkWeight(w);
    return new PackedCiphertext(encryptor.multiply(a.ciphertext(), k), a.count(), w);
  }

  /** Decrypts and unpacks the encoded slot values. */
  public long[] decryptEncoded(PaillierDecryptor decryptor, PackedCiphertext c) {
    checkWeight(c.weight());
    return unpack(decryptor.decrypt(c.ciphertext()), c.count(), decryptor.publicKey());
  }

  /** Decrypts, unpacks and decodes the slot values. */
  public double[] decrypt(PaillierDecryptor decryptor, PackedCiphertext c) {
    long[] encoded = decryptEncoded(decryptor, c);
    double[] out = new double[encoded.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = codec.decode(encoded[i]);
    }
    return out;
  }

  private long[] encodeAll(double[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!(Math.abs(values[i]) <= maxAbs)) {
        throw new IllegalArgumentException("a value is outside the declared range ±maxAbs");
      }
      out[i] = codec.encode(values[i]);
    }
    return out;
  }

  private void checkKey(PaillierPublicKey key) {
    if (key.modulusBits() != modulusBits) {
      throw new IllegalArgumentException("key size differs from the encoding's");
    }
  }

  private void checkCount(int count) {
    if (count < 1 || count > slots()) {
      throw new IllegalArgumentException("slot count must be 1.." + slots());
    }
  }

  private long checkWeight(long weight) {
    if (weight < 1 || weight > additions) {
      throw new IllegalArgumentException("packed weight exceeds the declared additions");
    }
    return weight;
  }

  private static long addWeights(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s; // saturate: any overflow is beyond every bound
  }
}
