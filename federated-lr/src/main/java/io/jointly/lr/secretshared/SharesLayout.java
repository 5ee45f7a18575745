package io.jointly.lr.secretshared;

/**
 * Every fixed-point scale, bound, mask size and slot width of secret-shared training, derived from
 * the public shape of a run, so that both parties compute the same layout and every packed value
 * provably fits its slot. |·| bounds are strict: {@code |v| < 2^bits}.
 *
 * <h2>Scales (fractional bits)</h2>
 *
 * features x: {@value #F_X}, |x| &lt; 2^{@value #X_LIMIT_BITS} (each party refuses larger
 * encoded values); weights w: {@value #F_W}, assumed |w| &lt; 2^{@value #W_LIMIT_BITS} (larger
 * weights only shrink the masks' slack by the excess); scores z: {@value #F_Z}; the partner's
 * sigmoid terms: {@value #F_V}; the bank's: {@value #F_U}; residuals d' = η·s·(σ̂(z) − y)/|B|:
 * {@value #F_D} = F_U + F_V. Class weights s &lt; 2^{@value #S_LIMIT_BITS}.
 *
 * <h2>Scores modulo the period</h2>
 *
 * The scores feed only the periodic sigmoid ({@link SharesSigmoid}, period {@code 2^π} with π =
 * 5 for STANDARD, 7 for WIDE, 8 for EXTRA_WIDE), so they are shared modulo {@code 2^(π + F_Z)} (the period in fixed
 * point, {@link #scoreResidueBits}). {@code ⌊v/2^T_FORWARD⌋ mod 2^(π+F_Z)} depends on {@code v mod
 * 2^}{@link #forwardRingBits} alone (= T_FORWARD + π + F_Z = π + F_X + F_W: 45 for STANDARD, 47
 * for WIDE, 48 for EXTRA_WIDE), so the products {@code X·W} at scale F_X + F_W are shared modulo 2^45, 2^47 or 2^48
 * (computed in 64-bit arithmetic, weight shares reduced to their low bits; any ring of at most 64
 * bits works), and each party keeps bits [T_FORWARD, π + F_X + F_W) of its share: local truncation
 * of two shares modulo the ring is off by at most one unit, never by a wrap-around. The score's
 * fractional bits stay F_Z = 16 for both periods: the angle resolution 2π/2^(π+F_Z) only sets where
 * the series is sampled, one unit of 2^−16 in z, far below the series' own error.
 *
 * <h2>Bounds (σ = 40)</h2>
 *
 * <ul>
 *   <li>sigmoid: {@code |U| < 2^uBits} with uBits = etaBits + S_LIMIT + F_U + 1, since every
 *       coefficient |β_k| &lt; 1 (both series; {@link SharesSigmoid} refuses others); an OT
 *       correlation {@code Δ = U·2^t}, t &lt; {@link #CHOICE_BITS}, below {@code 2^deltaBits}; pads
 *       of {@link #padBits} = deltaBits + σ (≤ 127, one hash output); none of these depends on the
 *       number of terms K. A residual share is the sum of a row's {@link #otsPerRow} = 2·K·
 *       CHOICE_BITS pads (256 for STANDARD, 768 for WIDE, 2,048 for EXTRA_WIDE: below {@code 2^(padBits + ⌈log2
 *       otsPerRow⌉)}) plus smaller local terms (the label term below 2^(F_D + etaBits + S_LIMIT),
 *       the offset correction {@code 2^F_V·ΣU} below 2^(F_V + uBits + ⌈log2 2K⌉)), so below {@link
 *       #residualShareBits} = padBits + ⌈log2 otsPerRow⌉ + 2: WIDE adds two bits here (EXTRA_WIDE three), and through
 *       it to the backward slot below. Precision: the partner's terms, rounded to F_V bits, shift
 *       σ̂ by at most √2·Σ|β_k|·2^−(F_V+1), 3·10⁻⁵ for STANDARD (Σ|β_k| = 0.77) and 5·10⁻⁵ for
 *       WIDE (Σ|β_k| = 1.20), and the bank's, rounded to F_U bits, add at most 2K·2^−(F_U+1) to
 *       a scaled residual d' (10⁻⁶ for WIDE): both far below the series' own error (0.0031,
 *       0.014), so the scales are the same for both series;
 *   <li>backward, true slot {@code K·W − Σ_r X_r·d'_r} at scale F_X + F_D: below {@link
 *       #backwardTrueBits} = max(31 + 36, 24 + etaBits + S_LIMIT + F_D + 1) + 1 (the 1/|B| in d'
 *       cancels the batch sum); its mask {@code backwardTrueBits + σ}; a weight share after the
 *       shift by {@link #T_BACKWARD} below {@link #weightShareBits};
 *   <li>backward slot {@code |−Σ_r X_r·D'_r + K·W' + m|} with shares W', D' at their bounds,
 *       plus 3 bits (sign, sums).
 * </ul>
 *
 * @param batchSize rows per batch
 * @param etaBits {@code η ≤ 2^etaBits} for every epoch's learning rate
 * @param modulusBits both Paillier moduli (the same size)
 * @param sigmoid the series evaluated on the scores
 */
record SharesLayout(int batchSize, int etaBits, int modulusBits, SharesSigmoid sigmoid) {
  static final int F_X = 16;
  static final int X_LIMIT_BITS = 8;
  static final int X_BITS = F_X + X_LIMIT_BITS;
  static final int F_W = 24;
  static final int W_LIMIT_BITS = 12;
  static final int W_BITS = F_W + W_LIMIT_BITS;
  static final int F_Z = 16;
  static final int F_V = 14;
  /** Bits of a shifted sigmoid term {@code round(v·2^F_V) + 2^F_V ∈ [0, 2^(F_V+1)]}. */
  static final int CHOICE_BITS = F_V + 2;
  static final int F_U = 24;
  static final int F_D = F_U + F_V;
  static final int S_LIMIT_BITS = 8;
  static final int T_FORWARD = F_X + F_W - F_Z;
  static final int T_BACKWARD = F_X + F_D - F_W;
  private static final int SIGMA = SharesMath.STATISTICAL_BITS;

  SharesLayout {
    if (batchSize < 1 || etaBits < 0 || etaBits > 4) {
      throw new IllegalArgumentException("layout needs batch ≥ 1 and η ≤ 16");
    }
    java.util.Objects.requireNonNull(sigmoid, "sigmoid");
  }

  /** Bits of the ring in which the forward products are shared: period, features and weights. */
  int forwardRingBits() {
    return sigmoid.periodBits() + F_X + F_W;
  }

  /** Bits of a score residue: the period in fixed point. */
  int scoreResidueBits() {
    return sigmoid.scoreResidueBits();
  }

  /** Correlated OTs per row: every bit of every partner sigmoid term. */
  int otsPerRow() {
    return 2 * sigmoid.terms() * CHOICE_BITS;
  }

  /**
   * The layout of a run, checked.
   *
   * @throws IllegalArgumentException if a pad exceeds a hash output or a slot the modulus
   */
  static SharesLayout of(int batchSize, int etaBits, int modulusBits, SharesSigmoid sigmoid) {
    SharesLayout l = new SharesLayout(batchSize, etaBits, modulusBits, sigmoid);
    l.check();
    return l;
  }

  private void check() {
    if (forwardRingBits() > 64) {
      throw new IllegalArgumentException("the forward ring exceeds 64 bits");
    }
    if (padBits() > 127) {
      throw new IllegalArgumentException("OT pads exceed one hash output");
    }
    if (columnsPerPlaintext() < 1) {
      throw new IllegalArgumentException("the Paillier modulus is too small for a slot");
    }
  }

  int uBits() {
    return etaBits + S_LIMIT_BITS + F_U + 1;
  }

  int deltaBits() {
    return uBits() + CHOICE_BITS;
  }

  int padBits() {
    return deltaBits() + SIGMA;
  }

  int residualShareBits() {
    return padBits() + SharesMath.ceilLog2(otsPerRow()) + 2;
  }

  int backwardTrueBits() {
    return Math.max(T_BACKWARD + 1 + W_BITS, X_BITS + etaBits + S_LIMIT_BITS + F_D + 1) + 1;
  }

  /** Mask of a backward slot: uniform in ±2^(this − 1). */
  int backwardMaskBits() {
    return backwardTrueBits() + SIGMA + 1;
  }

  int weightShareBits() {
    return backwardMaskBits() - T_BACKWARD + 2;
  }

  int backwardSlotBits() {
    int data = X_BITS + residualShareBits() + SharesMath.ceilLog2(batchSize);
    return Math.max(Math.max(data, T_BACKWARD + 1 + weightShareBits()), backwardMaskBits()) + 3;
  }

  /** Columns per row-packed plaintext (backward). */
  int columnsPerPlaintext() {
    return (modulusBits - 2) / backwardSlotBits();
  }

  /** Row-packed plaintexts per row of a party with {@code p} columns. */
  int rowGroups(int p) {
    return (p + columnsPerPlaintext() - 1) / columnsPerPlaintext();
  }

  /** The smallest e with η ≤ 2^e (0 for η ≤ 1). */
  static int etaBits(double eta) {
    int e = 0;
    while (eta > Math.scalb(1.0, e)) {
      e++;
    }
    return e;
  }
}
