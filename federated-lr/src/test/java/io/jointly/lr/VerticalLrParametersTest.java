package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.ProtocolAbortException;
import io.jointly.lr.internal.LrHello;
import org.junit.jupiter.api.Test;

class VerticalLrParametersTest {

  private static VerticalLrParameters withBits(VerticalLrParameters p, int residualBits, int featureBits) {
    return new VerticalLrParameters(
        p.mode(), p.lr(), p.validationFraction(), p.holdoutFraction(), p.paillier(), p.transform(), p.scoreBits(),
        residualBits, featureBits, p.receiveTimeout(), p.ivMinBinSize(), p.sigmoid(), p.epochLoss());
  }

  @Test
  void constructor_featurePlusResidualBitsAboveFixedPointMaximum_isRefusedWithTheReason() {
    // Each within its own range, but 24 + 40 = 64 fractional bits for the gradient, beyond 62.
    assertThatThrownBy(() -> withBits(VerticalLrParameters.AGGREGATED_DEFAULT, 40, 24))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature bits + residual bits must be at most 62")
        .hasMessageContaining("got 64");
  }

  @Test
  void constructor_featurePlusResidualBitsAtTheMaximum_isAcceptedAndDecodable() {
    VerticalLrParameters p = withBits(VerticalLrParameters.AGGREGATED_DEFAULT, 40, 22);
    assertThat(new FixedPoint(p.featureBits() + p.residualBits()).fractionalBits()).isEqualTo(FixedPoint.MAX_FRACTIONAL_BITS);
  }

  @Test
  void bankHelloDecode_featurePlusResidualBitsAboveMaximum_aborts() {
    LrHello.Bank hello =
        new LrHello.Bank(
            1, 1, 256, 20, 0.5, 0.5, 1e-3, 0, 7L, false, 24, 40, 24, 2048, false, LrHello.GD, 10, 0, true, 0, Bytes.wrap(new byte[] {1}));
    Bytes encoded = hello.encode();
    assertThatThrownBy(() -> LrHello.Bank.decode(encoded))
        .isInstanceOf(ProtocolAbortException.class)
        .hasMessageContaining("precision out of range");
  }
}
