package io.jointly.stats;

import io.jointly.core.FixedPoint;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The pure arithmetic of federated statistics: the slot layout of each customer's vector, packing
 * slots into Paillier plaintexts, masking and unmasking, free of channels and keys so tests call it
 * directly.
 *
 * <h2>Slots</h2>
 *
 * Every slot of a customer's vector is a non-negative integer at most {@code 2·M} where M is the
 * slot's offset: a numeric value v clipped to ±bound is stored as {@code round(v·2^f) + M} with
 * {@code M = ⌈bound·2^f⌉}; presence and level indicators are 0 or 1 (M = 0 for them, bounded by 1).
 * A segment's sum of {@code c} vectors therefore has slot values at most {@code c·max(2M, 1)} and
 * the bank, who knows c, removes {@code c·M}.
 *
 * <h2>Width and masking</h2>
 *
 * With N the partner's set size (an upper bound on any segment's count), {@code sumBits =
 * bitLength(N·max(2M, 1))} over all slots; a mask is uniform in [0, 2^(sumBits+σ)) with σ = 40,
 * and a slot is {@code W = sumBits + σ + 1} bits wide, so a masked sum never carries into the next
 * slot, and the masked value the partner decrypts is within statistical distance 2^−σ of uniform
 * whatever the sum (Bellare–Rogaway style statistical hiding of an additive mask). A plaintext holds
 * {@code ⌊(|n| − 1)/W⌋} slots, so it stays below n.
 */
final class StatsMath {
  /** Statistical hiding of a masked sum: the partner's view is within 2^−40 of uniform. */
  static final int STATISTICAL_BITS = 40;

  private StatsMath() {}

  /** Per-slot offsets M (in slot order, see {@link ColumnLayout}). */
  static BigInteger[] offsets(ColumnLayout layout, FixedPoint fp) {
    BigInteger[] m = new BigInteger[layout.slots()];
    int s = 0;
    for (ColumnLayout.NumericColumn c : layout.numeric()) {
      m[s++] = BigInteger.valueOf(Math.round(Math.ceil(Math.scalb(c.bound(), fp.fractionalBits()))));
      m[s++] = BigInteger.ZERO;
    }
    for (ColumnLayout.CategoricalColumn c : layout.categorical()) {
      for (int l = 0; l <= c.levels().size(); l++) {
        m[s++] = BigInteger.ZERO;
      }
    }
    return m;
  }

  /** Bits of the largest possible slot sum over at most {@code maxItems} vectors. */
  static int sumBits(BigInteger[] offsets, long maxItems) {
    BigInteger max = BigInteger.ONE;
    for (BigInteger m : offsets) {
      max = max.max(m.shiftLeft(1));
    }
    return max.multiply(BigInteger.valueOf(Math.max(1, maxItems))).bitLength();
  }

  /** The slot width W = sumBits + σ + 1. */
  static int slotWidth(int sumBits) {
    return sumBits + STATISTICAL_BITS + 1;
  }

  /** Slots per plaintext for a modulus of {@code modulusBits} bits. */
  static int slotsPerPlaintext(int modulusBits, int width) {
    int k = (modulusBits - 1) / width;
    if (k < 1) {
      throw new IllegalArgumentException("a slot of " + width + " bits does not fit the modulus");
    }
    return k;
  }

  /** The slot values of one row of the partner's columns (each in [0, 2M] or {0, 1}). */
  static BigInteger[] vector(PartnerColumns columns, int row, FixedPoint fp, BigInteger[] offsets) {
    BigInteger[] v = new BigInteger[offsets.length];
    int s = 0;
    for (PartnerColumns.Numeric c : columns.numeric()) {
      double x = c.value(row);
      if (Double.isNaN(x)) {
        v[s] = offsets[s];
        v[s + 1] = BigInteger.ZERO;
      } else {
        double clipped = Math.max(-c.bound(), Math.min(c.bound(), x));
        BigInteger e = BigInteger.valueOf(fp.encode(clipped)).add(offsets[s]);
        // Rounding of a clipped value can exceed the bound by at most half a step; keep [0, 2M].
        v[s] = e.max(BigInteger.ZERO).min(offsets[s].shiftLeft(1));
        v[s + 1] = BigInteger.ONE;
      }
      s += 2;
    }
    for (PartnerColumns.Categorical c : columns.categorical()) {
      int level = c.levelOf(c.values().get(row));
      for (int l = 0; l <= c.levels().size(); l++) {
        v[s++] = l == level ? BigInteger.ONE : BigInteger.ZERO;
      }
    }
    return v;
  }

  /** Packs slot values (each below 2^width) into plaintexts of {@code perPlaintext} slots. */
  static BigInteger[] pack(BigInteger[] slots, int width, int perPlaintext) {
    int count = (slots.length + perPlaintext - 1) / perPlaintext;
    BigInteger[] out = new BigInteger[count];
    for (int p = 0; p < count; p++) {
      BigInteger acc = BigInteger.ZERO;
      int end = Math.min(slots.length, (p + 1) * perPlaintext);
      for (int i = end - 1; i >= p * perPlaintext; i--) {
        if (slots[i].signum() < 0 || slots[i].bitLength() > width) {
          throw new IllegalArgumentException("slot value outside [0, 2^width)");
        }
        acc = acc.shiftLeft(width).add(slots[i]);
      }
      out[p] = acc;
    }
    return out;
  }

  /** Unpacks {@code slotCount} slots of {@code width} bits from plaintexts of {@code perPlaintext}. */
  static BigInteger[] unpack(BigInteger[] plaintexts, int slotCount, int width, int perPlaintext) {
    BigInteger[] out = new BigInteger[slotCount];
    BigInteger slotMask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    for (int i = 0; i < slotCount; i++) {
      BigInteger p = plaintexts[i / perPlaintext];
      out[i] = p.shiftRight((i % perPlaintext) * width).and(slotMask);
    }
    return out;
  }

  /** Fresh masks, uniform in [0, 2^(sumBits+σ)), one per slot. */
  static BigInteger[] masks(int slotCount, int sumBits, SecureRandom random) {
    BigInteger[] r = new BigInteger[slotCount];
    for (int i = 0; i < slotCount; i++) {
      r[i] = new BigInteger(sumBits + STATISTICAL_BITS, random);
    }
    return r;
  }

  /** Sensitivity of each slot to one customer, in integer units: M for a value slot, else 1. */
  static BigInteger[] sensitivities(BigInteger[] offsets) {
    BigInteger[] d = new BigInteger[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      d[i] = offsets[i].signum() > 0 ? offsets[i] : BigInteger.ONE;
    }
    return d;
  }

  /** Signed integers, each as a 2-byte length and big-endian two's complement bytes. */
  static Bytes encodeSigned(BigInteger[][] values) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (BigInteger[] row : values) {
      for (BigInteger v : row) {
        byte[] b = v.toByteArray();
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
      }
    }
    return Bytes.wrap(out.toByteArray());
  }

  /** Decodes {@code rows × cols} values written by {@link #encodeSigned}, each at most {@code maxBytes}. */
  static BigInteger[][] decodeSigned(Bytes payload, int rows, int cols, int maxBytes)
      throws ProtocolAbortException {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(payload.toByteArray());
    BigInteger[][] out = new BigInteger[rows][cols];
    try {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int len = Short.toUnsignedInt(in.getShort());
          Abort.unlessWellFormed(len >= 1 && len <= maxBytes, "OPENED value has an invalid length");
          byte[] b = new byte[len];
          in.get(b);
          out[r][c] = new BigInteger(b);
        }
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "OPENED is truncated");
    }
    Abort.unlessWellFormed(!in.hasRemaining(), "OPENED has trailing bytes");
    return out;
  }
}
