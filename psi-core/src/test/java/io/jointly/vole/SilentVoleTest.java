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
    chain(shape, tweakBase, 1);
  }

  /**
   * Runs {@code chunks} chunks under one Δ, each after the first bootstrapped from the previous
   * one's reserved outputs, and checks every chunk's correlation.
   */
  static void chain(SilentVole.Shape first, long tweakBase, int chunks) throws ProtocolAbortException {
    long dLo = RANDOM.nextLong();
    long dHi = RANDOM.nextLong();
    SilentVole.SenderBase senderBase = null;
    SilentVole.ReceiverBase receiverBase = null;
    for (int k = 0; k < chunks; k++) {
      SilentVole.Shape shape =
          k == 0
              ? first
              : new SilentVole.Shape(
                  first.outputs(), first.codeOutputs(), first.trees(), first.leaves(), first.valueBits(),
                  first.expanderWeight(), true);
      byte[] codeSeed = new byte[16];
      RANDOM.nextBytes(codeSeed);
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
      byte[] msg = k == 0 ? sender.message(q, tweakBase + k) : sender.message(q, tweakBase + k, senderBase);
      assertThat(msg).hasSize(shape.messageBytes());
      if (k == 0) {
        receiver.finish(t, msg, tweakBase + k);
      } else {
        receiver.finish(t, msg, tweakBase + k, receiverBase);
        assertThat(receiverBase.toString()).contains("redacted");
      }
      checkCorrelation(shape, receiver.a(), sender.outputs(), receiver.c(), dLo, dHi);
      senderBase = sender.reserved();
      receiverBase = receiver.reserved();
    }
  }

  static void checkCorrelation(SilentVole.Shape shape, byte[] a, byte[] b, byte[] c, long dLo, long dHi) {
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

  @Property(tries = 10)
  void bootstrappedChunks_keepTheCorrelation(
      @ForAll @IntRange(min = 1, max = 2000) int outputs,
      @ForAll @IntRange(min = 1, max = 128) int ell,
      @ForAll @IntRange(min = 1, max = 40) int trees,
      @ForAll @IntRange(min = 2, max = 4) int chunks)
      throws ProtocolAbortException {
    SilentVole.Shape first = SilentVole.Shape.of(outputs, ell, small(trees));
    assertThat(first.cots()).isEqualTo(trees * (first.depth() + ell));
    SilentVole.Shape next = SilentVole.Shape.of(outputs, ell, small(trees), true);
    assertThat(next.cots()).isEqualTo(trees * next.depth());
    assertThat(next.codeOutputs()).isEqualTo(first.codeOutputs());
    chain(first, 7, chunks);
  }

  @Test
  void baseVoleMustMatchTheShape() {
    SilentVole.Shape first = SilentVole.Shape.of(100, 80, small(4));
    SilentVole.Shape next = SilentVole.Shape.of(100, 80, small(4), true);
    byte[] seed = new byte[16];
    SilentVole.Sender sender = new SilentVole.Sender(next, 1, 2, seed, RANDOM);
    assertThatThrownBy(() -> sender.message(new long[next.cots()][2], 0)).isInstanceOf(IllegalStateException.class);
    SilentVole.Sender firstSender = new SilentVole.Sender(first, 1, 2, seed, RANDOM);
    firstSender.message(new long[first.cots()][2], 0);
    SilentVole.SenderBase base = firstSender.reserved();
    SilentVole.Sender other = new SilentVole.Sender(first, 1, 2, seed, RANDOM);
    assertThatThrownBy(() -> other.message(new long[first.cots()][2], 0, base)).isInstanceOf(IllegalArgumentException.class);
    assertThat(base.toString()).contains("redacted");
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
