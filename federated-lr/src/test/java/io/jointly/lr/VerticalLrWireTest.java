package io.jointly.lr;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.lr.internal.LrHello;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.testing.RecordingChannel;
import io.jointly.lr.testing.WireBytes;
import io.jointly.lr.training.Optimizer;
import io.jointly.paillier.PaillierParameters;
import io.jointly.paillier.PaillierPublicKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What crosses the wire to the partner: only alignment positions and split tags, the schedule and
 * public keys, the encrypted labels for information value, its encrypted gradients, and control
 * bits — never a label, a residual or a bank feature in the clear.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VerticalLrWireTest {

  @ParameterizedTest
  @EnumSource(Optimizer.class)
  void train_whatThePartnerReceives_carriesNoPlaintextLabelResidualOrBankFeature(Optimizer optimizer) throws Exception {
    VerticalRun data = VerticalRun.synthetic(9, 300, 3, 2);
    VerticalLrParameters params =
        VerticalLrParameters.AGGREGATED_DEFAULT.withLr(
            VerticalLrParameters.DEFAULT.lr().toBuilder().optimizer(optimizer).batchSize(100).maxEpochs(3).seed(7).build());
    RecordingChannel[] recorder = new RecordingChannel[1];
    var o =
        data.train(
            params,
            params,
            UnaryOperator.identity(),
            ch -> {
              recorder[0] = new RecordingChannel(ch);
              return recorder[0];
            });
    assertThat(o.firstFailure()).isNull();
    List<RoundKey> keys = recorder[0].keys;
    List<Bytes> payloads = recorder[0].payloads;

    // Only the expected rounds reach the partner from the bank.
    Set<String> rounds = new HashSet<>();
    for (RoundKey k : keys) {
      rounds.add(k.protocol() + "/" + k.round());
    }
    assertThat(rounds)
        .allMatch(r -> r.startsWith("ecdh-psi/") || r.startsWith(LrRound.PROTOCOL + "/"))
        .doesNotContain(
            LrRound.PROTOCOL + "/" + LrRound.SCORES.wireCode(),
            LrRound.PROTOCOL + "/" + LrRound.FEATURES.wireCode(),
            LrRound.PROTOCOL + "/" + LrRound.GRAM.wireCode());
    if (optimizer == Optimizer.LBFGS) {
      // L-BFGS adds direction coefficients (scalars from the summed Gram matrix) and line-search verdicts.
      assertThat(rounds).contains(LrRound.PROTOCOL + "/" + LrRound.DIRECTION.wireCode(), LrRound.PROTOCOL + "/" + LrRound.LINE_SEARCH.wireCode());
      for (int i = 0; i < keys.size(); i++) {
        if (keys.get(i).protocol().equals(LrRound.PROTOCOL) && keys.get(i).round() == LrRound.LINE_SEARCH.wireCode()) {
          assertThat(payloads.get(i).length()).isEqualTo(1);
        }
      }
    }

    // Every GRADIENT message is nothing but 2048-bit Paillier ciphertexts (under the partner's key).
    int gradientMessages = 0;
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).protocol().equals(LrRound.PROTOCOL) && keys.get(i).round() == LrRound.GRADIENT.wireCode()) {
        Bytes p = payloads.get(i);
        assertThat(p.length()).isPositive();
        assertThat(p.length() % 512).isZero();
        gradientMessages++;
      }
    }
    assertThat(gradientMessages).isPositive();
    // The bank's HELLO carries the schedule and, for information value, the bank's public key.
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).protocol().equals(LrRound.PROTOCOL) && keys.get(i).round() == LrRound.HELLO.wireCode()) {
        LrHello.Bank hello = LrHello.Bank.decode(payloads.get(i));
        PaillierPublicKey bankKey =
            PaillierPublicKey.fromBytes(hello.publicKey(), new PaillierParameters(hello.modulusBits(), PaillierParameters.Randomness.FULL));
        assertThat(bankKey.modulusBits()).isEqualTo(2048);
      }
    }

    // No bank feature value (as text or as a double) and no run of labels appears in any payload.
    byte[] all = WireBytes.concat(payloads);
    for (int r = 0; r < data.bankFeatures.rowCount(); r += 7) {
      for (int c = 0; c < data.bankFeatures.columnCount(); c++) {
        String cell = data.bankFeatures.cell(r, c);
        assertThat(WireBytes.indexOf(all, cell.getBytes(StandardCharsets.UTF_8))).as("feature text").isNegative();
        byte[] asDouble = ByteBuffer.allocate(8).putDouble(Double.parseDouble(cell)).array();
        assertThat(WireBytes.indexOf(all, asDouble)).as("feature double").isNegative();
      }
    }
    int[] aligned = o.first().value().alignedRows();
    byte[] labelRun = new byte[64];
    for (int i = 0; i < labelRun.length; i++) {
      labelRun[i] = (byte) data.bankLabels[aligned[i]];
    }
    assertThat(WireBytes.indexOf(all, labelRun)).as("labels in order").isNegative();
  }
}
