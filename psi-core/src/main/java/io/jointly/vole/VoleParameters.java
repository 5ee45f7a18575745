package io.jointly.vole;

/**
 * Parameters of the silent subfield VOLE ({@link SilentVole}): dual LPN with the expand-accumulate
 * code and regular noise.
 *
 * <h2>The LPN instance</h2>
 *
 * A chunk of m outputs expands a noise vector of length N = t·s ≥ {@code expansion}·m (t trees of
 * s leaves, s = ⌈expansion·m / t⌉) by the expand-accumulate code of Boyle, Couteau, Gilboa, Ishai,
 * Kohl, Resch and Scholl (CRYPTO 2022, "EA codes") with {@code expanderWeight} positions per output.
 * The noise is regular: exactly one non-zero entry in each of t classes of s positions (the classes
 * are the residues modulo t, so each class is spread over the whole vector), with values uniform in
 * the ℓ-bit subspace. The assumption is dual LPN for this code with regular noise over GF(2^ℓ) (a
 * binary code, so it is the same problem for any GF(2)-subspace of dimension ℓ).
 *
 * <h2>Why these numbers (128-bit computational security)</h2>
 *
 * <ul>
 *   <li>Linear tests: a test vector of relative weight δ distinguishes regular noise with
 *       field-valued entries with advantage about (1 − δ)^t (the test sees no noise in any class).
 *       The easiest low-weight test vectors of an EA code come from few rows of the expander: the
 *       accumulator turns their r·k positions into runs whose total length is a sum of alternate
 *       gaps, a Beta(⌈rk/2⌉, ⌊rk/2⌋+1) fraction of N when the positions are uniform. For k = 21 and
 *       m = 2^20 the expected minimum over all sets of r = 1, 2, 3, 4 rows is 0.097, 0.083, 0.086
 *       and 0.083 (the exact minimum over single rows of one drawn code is 0.107, and sampled pairs
 *       follow the model within 1 %: the bench's {@code EaMinDistance}; with k = 11 the minimum
 *       falls to 0.026, hence the weight 21). We take δ = 0.06 for a margin and t = ⌈128 /
 *       −log2(1 − δ)⌉ = 1434. For comparison, libOTe configures EA codes of weight 21 with δ =
 *       0.15 and yacl with δ = 0.10, with the binary-noise bound (1 − 2δ)^t, which allows far fewer
 *       trees; this choice is deliberately more conservative. Chunks stay at most 2^21 outputs, where
 *       these estimates hold (more rows lower the minimum only logarithmically).
 *   <li>Information-set decoding and algebraic attacks on regular syndrome decoding (Briaud and
 *       Øygarden, EUROCRYPT 2023) need many noise-free positions or small classes: with expansion 5
 *       a Prange step succeeds with probability about 5^−t, and every class has at least
 *       {@code expansion}·{@code minimumOutputs}/t ≥ 228 positions.
 *   <li>{@code minimumOutputs}: smaller chunks are padded to this length, so that no instance is
 *       smaller than the analysed ones (a tiny PSI still costs one such chunk, about 2 MiB of
 *       traffic).
 * </ul>
 *
 * Not Silver (Couteau, Rindal, Raghuraman, CRYPTO 2021), whose codes were shown to have low minimum
 * distance (Raghuraman, Rindal, Tanguy, "Expand-Convolute Codes for Pseudorandom Correlation
 * Generators from LPN", CRYPTO 2023).
 *
 * @param expansion N / m, at least 2
 * @param expanderWeight positions per output in the expander, at least 1
 * @param noiseWeight t, the number of trees (non-zero noise entries)
 * @param minimumOutputs the smallest LPN instance (outputs per chunk)
 * @param maximumOutputs the largest LPN instance: longer vectors are made of several chunks, each
 *     its own instance with its own trees, the first on base VOLEs from correlated OTs, every later
 *     one on base VOLEs reserved from the chunk before
 */
public record VoleParameters(
    int expansion, int expanderWeight, int noiseWeight, int minimumOutputs, int maximumOutputs) {

  /**
   * EA code, expansion 5, expander weight 21, t = 1434, chunks of 2^16 to 2^19 outputs (a chunk's
   * receiver holds about 120 bytes per output: 2^19 keeps it near 64 MiB).
   */
  public static final VoleParameters EXPAND_ACCUMULATE = new VoleParameters(5, 21, 1434, 1 << 16, 1 << 19);

  public VoleParameters {
    if (expansion < 2 || expanderWeight < 1 || noiseWeight < 1 || minimumOutputs < 1 || maximumOutputs < minimumOutputs) {
      throw new IllegalArgumentException("invalid VOLE parameters");
    }
  }

}
