package io.jointly.psi.ecdh;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PsiMathTest {

  @Test
  void truncationBytes_twoMillionPairs_keepsFortyBitsMargin() {
    // 2^20 x 2^20 pairs: 40 + 40 + 1 = 81 bits -> 11 bytes
    assertThat(PsiMath.truncationBytes(1 << 20, 1 << 20, 32)).isEqualTo(11);
    // empty sets still use a sound minimum: 40 + 0 + 1 bits -> 6 bytes
    assertThat(PsiMath.truncationBytes(0, 0, 32)).isEqualTo(6);
    assertThat(PsiMath.truncationBytes(1000, 1000, 32)).isEqualTo(8);
    // never longer than the element
    assertThat(PsiMath.truncationBytes(Integer.MAX_VALUE, Integer.MAX_VALUE, 8)).isEqualTo(8);
  }

  @Property(tries = 200)
  void truncationBytes_anySizes_falseMatchBoundHolds(
      @ForAll @IntRange(min = 0, max = 1 << 27) int a, @ForAll @IntRange(min = 0, max = 1 << 27) int b) {
    int t = PsiMath.truncationBytes(a, b, 33);
    double log2Pairs = Math.log(Math.max(1.0, a) * Math.max(1.0, b)) / Math.log(2);
    assertThat(8.0 * t - 1).isGreaterThanOrEqualTo(40 + log2Pairs);
    assertThat(8.0 * (t - 1) - 1).isLessThan(40 + Math.ceil(log2Pairs));
  }
}
