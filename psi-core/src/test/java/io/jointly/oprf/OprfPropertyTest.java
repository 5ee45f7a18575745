package io.jointly.oprf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The OPRF's defining property over random inputs and keys — blind, evaluate and finalize give the
 * server's direct evaluation — and its input validation: identity, non-canonical and wrong-length
 * elements refused, over-long inputs refused, blinds that differ per call.
 */
class OprfPropertyTest {
  private static final Oprf OPRF = Oprf.RISTRETTO255_SHA512;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Property(tries = 40)
  void blindEvaluateFinalize_equalsDirectEvaluate(@ForAll @Size(max = 80) byte[] input) throws Exception {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    Oprf.Blinded b = OPRF.blind(input, RANDOM);
    Bytes out = OPRF.finalizeOutput(input, b.blind(), OPRF.blindEvaluate(key, b.element()));
    assertThat(out).isEqualTo(OPRF.evaluate(key, input));
    assertThat(out.length()).isEqualTo(64);
  }

  @Property(tries = 10)
  void finalizeAll_equalsOneByOne(@ForAll @Size(min = 1, max = 6) List<@Size(max = 20) byte[]> inputs)
      throws Exception {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    int n = inputs.size();
    byte[][] in = inputs.toArray(byte[][]::new);
    OprfBlind[] blinds = new OprfBlind[n];
    Bytes[] evaluated = new Bytes[n];
    for (int i = 0; i < n; i++) {
      Oprf.Blinded b = OPRF.blind(in[i], RANDOM);
      blinds[i] = b.blind();
      evaluated[i] = OPRF.blindEvaluate(key, b.element());
    }
    Bytes[] all = OPRF.finalizeAll(in, blinds, evaluated);
    for (int i = 0; i < n; i++) {
      assertThat(all[i]).isEqualTo(OPRF.evaluate(key, in[i]));
    }
  }

  @Property(tries = 5)
  void precomputedBlinds_finalizeLikeFreshOnes(@ForAll @Size(min = 1, max = 5) List<@Size(max = 20) byte[]> inputs)
      throws Exception {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    OprfBlind[] blinds = OPRF.blinds(inputs.size(), RANDOM);
    for (int i = 0; i < inputs.size(); i++) {
      Oprf.Blinded b = OPRF.blind(inputs.get(i), blinds[i]);
      assertThat(OPRF.finalizeOutput(inputs.get(i), b.blind(), OPRF.blindEvaluate(key, b.element())))
          .isEqualTo(OPRF.evaluate(key, inputs.get(i)));
    }
  }

  @Example
  void blind_sameInputTwice_givesUnlinkableElements() throws Exception {
    byte[] input = "13800138000".getBytes();
    assertThat(OPRF.blind(input, RANDOM).element()).isNotEqualTo(OPRF.blind(input, RANDOM).element());
  }

  @Example
  void evaluate_differentKeys_differ() throws Exception {
    byte[] input = "13800138000".getBytes();
    OprfKey a = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    OprfKey b = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    assertThat(OPRF.evaluate(a, input)).isNotEqualTo(OPRF.evaluate(b, input));
    assertThat(a.keyId()).isNotEqualTo(b.keyId());
  }

  @Example
  void blindEvaluate_identity_isRefused() {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    assertThatThrownBy(() -> OPRF.blindEvaluate(key, Bytes.wrap(new byte[32])))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Example
  void blindEvaluate_nonCanonicalOrShort_isRefused() {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    // RFC 9496 A.2: a non-canonical field encoding (s = p).
    Bytes nonCanonical =
        Bytes.wrap(HexFormat.of().parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
    assertThatThrownBy(() -> OPRF.blindEvaluate(key, nonCanonical)).isInstanceOf(ProtocolAbortException.class);
    assertThatThrownBy(() -> OPRF.blindEvaluate(key, Bytes.wrap(new byte[31])))
        .isInstanceOf(ProtocolAbortException.class);
  }

  @Example
  void finalize_identityEvaluation_isRefused() throws Exception {
    Oprf.Blinded b = OPRF.blind("x".getBytes(), RANDOM);
    assertThatThrownBy(() -> OPRF.finalizeOutput("x".getBytes(), b.blind(), Bytes.wrap(new byte[32])))
        .isInstanceOfSatisfying(
            ProtocolAbortException.class,
            e -> assertThat(e.reason()).isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT));
  }

  @Example
  void blind_overlongInput_isAnInputError() {
    assertThatThrownBy(() -> OPRF.blind(new byte[Oprf.MAX_INPUT_LENGTH + 1], RANDOM))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_IDENTIFIER));
  }

  @Example
  void secrets_printRedacted() throws Exception {
    OprfKey key = OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
    assertThat(key.toString()).contains("redacted").contains(key.keyId().toHex());
    assertThat(OPRF.blind("x".getBytes(), RANDOM).blind().toString()).isEqualTo("OprfBlind[redacted]");
  }
}
