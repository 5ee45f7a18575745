package io.jointly.paillier.internal;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Arithmetic modulo {@code n²} in base n: a residue {@code x = hi·n + lo} with {@code 0 ≤ hi, lo <
 * n} is held as the pair {@link Digits}{@code (hi, lo)}, and
 *
 * <pre>
 *   (a₁n + a₀)(b₁n + b₀) ≡ (a₁b₀ + a₀b₁ + ⌊a₀b₀/n⌋ mod n)·n + (a₀b₀ mod n)   (mod n²)
 * </pre>
 *
 * since the {@code a₁b₁n²} term vanishes. One multiplication is four |n|×|n|-bit products plus two
 * Barrett divisions by n (two products each): all on operands of half the size of {@code n²},
 * where the JDK's intrinsic schoolbook kernel runs without Karatsuba's overhead. Measured here it
 * costs about half a Barrett multiplication modulo {@code n²} ({@link ModArithmetic}), which is why
 * multi-exponentiation, whose cost is almost all such multiplications, works in this form.
 *
 * <p>Also the online step of encryption: {@code (1 + m·n)·ρ ≡ ρ + n·(m·ρ mod n) (mod n²)}, one
 * product, one division by n and one more product, given {@code ρ mod n}.
 *
 * <p>Not constant-time. Immutable and thread-safe.
 */
public final class SquareModulus {
  private final BigInteger n;
  private final BigInteger nSquared;
  private final int k;
  private final BigInteger mu;

  /** A residue mod n² as base-n digits {@code hi·n + lo}, both in [0, n). */
  public record Digits(BigInteger hi, BigInteger lo) {}

  /**
   * @param n an odd modulus (the Paillier n)
   */
  public SquareModulus(BigInteger n) {
    this.n = Objects.requireNonNull(n, "n");
    if (n.signum() <= 0 || !n.testBit(0) || n.bitLength() < 3) {
      throw new IllegalArgumentException("n must be odd and at least 5");
    }
    this.nSquared = n.multiply(n);
    this.k = n.bitLength();
    this.mu = BigInteger.ONE.shiftLeft(2 * k).divide(n);
  }

  public BigInteger n() {
    return n;
  }

  public BigInteger nSquared() {
    return nSquared;
  }

  /** {@code x mod n} for {@code 0 ≤ x < 2^(2k+2)}, k = |n| (Barrett, HAC Algorithm 14.42). */
  public BigInteger modN(BigInteger x) {
    return divide(x)[1];
  }

  /** The digits of a residue {@code 0 ≤ x < n²}. */
  public Digits split(BigInteger x) {
    BigInteger[] qr = divide(x);
    return new Digits(qr[0], qr[1]);
  }

  /** {@code hi·n + lo}. */
  public BigInteger join(Digits d) {
    return d.hi.multiply(n).add(d.lo);
  }

  /** {@code a·b mod n²} on digits. */
  public Digits multiply(Digits a, Digits b) {
    BigInteger[] low = divide(a.lo.multiply(b.lo));
    BigInteger cross = a.hi.multiply(b.lo).add(a.lo.multiply(b.hi)).add(low[0]);
    return new Digits(modN(cross), low[1]);
  }

  /** {@code a² mod n²} on digits. */
  public Digits square(Digits a) {
    BigInteger[] low = divide(a.lo.multiply(a.lo));
    BigInteger cross = a.hi.multiply(a.lo).shiftLeft(1).add(low[0]);
    return new Digits(modN(cross), low[1]);
  }

  /**
   * The online step of encryption with {@code g = n + 1}: {@code (1 + m·n)·ρ mod n² = ρ + n·(m·ρ
   * mod n)}, reduced once more if it reaches n².
   *
   * @param m the plaintext, in [0, n)
   * @param rho the n-th residue ρ, in [0, n²)
   * @param rhoModN {@code ρ mod n}
   */
  public BigInteger encrypt(BigInteger m, BigInteger rho, BigInteger rhoModN) {
    BigInteger c = rho.add(n.multiply(modN(m.multiply(rhoModN))));
    return c.compareTo(nSquared) >= 0 ? c.subtract(nSquared) : c;
  }

  /**
   * {@code c⁻¹ mod n²} for a unit c: the inverse mod n (half-size extended Euclid, about a third
   * of the cost of inverting mod n² directly), lifted by one Newton–Hensel step {@code x = x₀·(2 −
   * c·x₀)}: if {@code c·x₀ = 1 + t·n} then {@code c·x = 1 − t²n² ≡ 1 (mod n²)}.
   *
   * @throws ArithmeticException if c is not a unit mod n
   */
  public BigInteger inverse(BigInteger c) {
    BigInteger x0 = modN(c).modInverse(n);
    BigInteger cx0 = c.multiply(x0).mod(nSquared);
    BigInteger twoMinus = BigInteger.TWO.subtract(cx0).mod(nSquared);
    return x0.multiply(twoMinus).mod(nSquared);
  }

  /** {quotient, remainder} of x by n, for {@code 0 ≤ x < 2^(2k+2)}. */
  private BigInteger[] divide(BigInteger x) {
    if (x.signum() < 0 || x.bitLength() > 2 * k + 2) {
      throw new IllegalArgumentException("Barrett division needs 0 <= x < 2^(2k+2)");
    }
    // q̂ = ⌊⌊x/2^(k−1)⌋·μ/2^(k+1)⌋ never exceeds ⌊x/n⌋ and falls short by a small constant.
    BigInteger q = x.shiftRight(k - 1).multiply(mu).shiftRight(k + 1);
    BigInteger r = x.subtract(q.multiply(n));
    while (r.compareTo(n) >= 0) {
      r = r.subtract(n);
      q = q.add(BigInteger.ONE);
    }
    return new BigInteger[] {q, r};
  }
}
