package io.jointly.vole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.ProtocolAbortException;
import io.jointly.symmetric.Blocks;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The VOLE correlation {@code C = B + A·Δ} for every output, from correlated OTs dealt by the test
 * (sender {@code q}, receiver {@code t = q + c·Δ}); A has ℓ bits; a wrong-length message aborts.
 */
class SilentVoleTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Small LPN instances so that a property run stays fast; the correlation does not depend on size. */
  static VoleParameters small(int trees) {
    return new VoleParameters(5, 21, trees, 64, 1 << 20);
  }

  static void check(SilentVole.Shape shape, long tweakBase) throws ProtocolAbortException {
    byte[] codeSeed = new byte[16];
    RANDOM.nextBytes(codeSeed);
    long dLo = RANDOM.nextLong();
    long dHi = RANDOM.nextLong();
    SilentVole.Receiver receiver = new SilentVole.Receiver(shape, codeSeed, RANDOM);
    long[] choices = receiver.choices();
    int cots = shape.cots();
    long[][] q = new long[cots][2];
    long[][] t = new long[cots][2];
    for (int i = 0; i < cots; i++) {
      q[i][0] = RANDOM.nextLong();
      q[i][1] = RANDOM.nextLong();
      long c = -((choices[i >>> 6] >>> (i & 63)) & 1);
      t[i][0] = q[i][0] ^ (dLo & c);
      t[i][1] = q[i][1] ^ (dHi & c);
    }
    SilentVole.Sender sender = new SilentVole.Sender(shape, dLo, dHi, codeSeed, RANDOM);
    byte[] msg = sender.message(q, tweakBase);
    assertThat(msg).hasSize(shape.messageBytes());
    receiver.finish(t, msg, tweakBase);
    byte[] a = receiver.a();
    byte[] b = sender.outputs();
    byte[] c = receiver.c();
    int ell = shape.valueBits();
    Gf128Multiplier delta = new Gf128Multiplier(dLo, dHi, ell);
    long[] ad = new long[2];
    int nonZero = 0;
    for (int i = 0; i < shape.codeOutputs(); i++) {
      long aLo = Blocks.lo(a, i);
      long aHi = Blocks.hi(a, i);
      if (ell < 128) {
        assertThat(ell >= 64 ? aHi >>> (ell - 64) : aHi).isZero();
        if (ell < 64) {
          assertThat(aLo >>> ell).isZero();
        }
      }
      nonZero += (aLo | aHi) != 0 ? 1 : 0;
      delta.multiply(aLo, aHi, ad);
      assertThat(Blocks.lo(c, i)).isEqualTo(Blocks.lo(b, i) ^ ad[0]);
      assertThat(Blocks.hi(c, i)).isEqualTo(Blocks.hi(b, i) ^ ad[1]);
    }
    // With many noise entries of many bits, A looks uniform in the ℓ-bit space (rarely zero).
    if (ell >= 8 && shape.trees() >= 16) {
      assertThat(nonZero).isGreaterThan(shape.codeOutputs() * 9 / 10);
    }
  }

  @Property(tries = 25)
  void correlationHolds(
      @ForAll @IntRange(min = 1, max = 3000) int outputs,
      @ForAll @IntRange(min = 1, max = 128) int ell,
      @ForAll @IntRange(min = 1, max = 40) int trees,
      @ForAll long tweakBase)
      throws ProtocolAbortException {
    check(SilentVole.Shape.of(outputs, ell, small(trees)), tweakBase);
  }

  @Test
  void correlationHolds_defaultParameters() throws ProtocolAbortException {
    SilentVole.Shape shape = SilentVole.Shape.of(100_000, 80, VoleParameters.EXPAND_ACCUMULATE);
    assertThat(shape.trees()).isEqualTo(1434);
    assertThat(shape.codeLength()).isGreaterThanOrEqualTo(500_000);
    check(shape, 12345);
  }

  @Test
  void wrongMessageLength_aborts() {
    SilentVole.Shape shape = SilentVole.Shape.of(100, 80, small(4));
    byte[] seed = new byte[16];
    SilentVole.Receiver receiver = new SilentVole.Receiver(shape, seed, RANDOM);
    assertThatThrownBy(() -> receiver.finish(new long[shape.cots()][2], new byte[shape.messageBytes() - 1], 0))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("MALFORMED_MESSAGE");
    assertThat(receiver.toString()).contains("redacted");
  }
}
