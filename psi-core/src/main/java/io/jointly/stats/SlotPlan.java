package io.jointly.stats;

import io.jointly.core.FixedPoint;
import java.math.BigInteger;

/**
 * The slot layout both parties derive from public values (column layout, fixed-point precision, the
 * partner's set size, the modulus size); see {@link StatsMath} for the arithmetic.
 *
 * @param fixedPoint the precision of numeric slots
 * @param offsets per-slot offset M
 * @param sumBits bits of the largest possible slot sum
 * @param width slot width W = sumBits + σ + 1
 * @param perPlaintext slots per Paillier plaintext
 * @param plaintexts plaintexts (ciphertexts) per customer vector
 */
record SlotPlan(FixedPoint fixedPoint, BigInteger[] offsets, int sumBits, int width, int perPlaintext, int plaintexts) {

  static SlotPlan of(ColumnLayout layout, FixedPoint fp, long maxItems, int modulusBits) {
    BigInteger[] offsets = StatsMath.offsets(layout, fp);
    int sumBits = StatsMath.sumBits(offsets, maxItems);
    int width = StatsMath.slotWidth(sumBits);
    int per = StatsMath.slotsPerPlaintext(modulusBits, width);
    int plaintexts = (offsets.length + per - 1) / per;
    return new SlotPlan(fp, offsets, sumBits, width, per, plaintexts);
  }

  int slots() {
    return offsets.length;
  }

  /** Upper bound on the bytes of an opened (masked, noised) value; noise beyond 2^64 is refused. */
  int openedMaxBytes() {
    return (Math.max(width, 64) + 2) / 8 + 2;
  }
}
