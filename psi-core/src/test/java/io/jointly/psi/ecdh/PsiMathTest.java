package io.jointly.psi.ecdh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
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

  @Property(tries = 50)
  void truncatedSet_randomValues_behavesLikeHashSet(
      @ForAll @Size(max = 500) List<@Size(min = 3, max = 3) List<Byte>> values) {
    int width = 3;
    TruncatedSet set = new TruncatedSet(width, values.size());
    Set<List<Byte>> reference = new HashSet<>();
    for (List<Byte> v : values) {
      byte[] b = {v.get(0), v.get(1), v.get(2)};
      assertThat(set.add(b, 0)).isEqualTo(reference.add(v));
    }
    assertThat(set.size()).isEqualTo(reference.size());
    for (List<Byte> v : values) {
      assertThat(set.contains(new byte[] {v.get(0), v.get(1), v.get(2)}, 0)).isTrue();
    }
  }

  @Test
  void truncatedSet_absentValue_notContained() {
    TruncatedSet set = new TruncatedSet(2, 4);
    set.add(new byte[] {1, 2}, 0);
    set.add(new byte[] {9, 1, 2, 3}, 2);
    assertThat(set.contains(new byte[] {1, 2}, 0)).isTrue();
    assertThat(set.contains(new byte[] {2, 3}, 0)).isTrue();
    assertThat(set.contains(new byte[] {2, 1}, 0)).isFalse();
  }
}
