package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.GroupScalar;
import io.jointly.group.InterconnectionSuite;
import io.jointly.group.SuiteId;
import io.jointly.testing.Vectors;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.KeyAgreement;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The interconnection suites against vectors computed independently (libsodium for CURVE25519,
 * OpenSSL's own calls for the reference's SM2 hash; see the vector files' {@code source}), the
 * spec's §9.3 checks (RFC 7748 vector through the suite's path, the bit-255 negative control,
 * all-zero rejection) and the masking property.
 */
class IcSuiteKatTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final EcdhGroup X =
      EcdhGroups.create(InterconnectionSuite.CURVE25519_SHA256_DIRECT);
  private static final EcdhGroup SM2 =
      EcdhGroups.create(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH);

  static List<JsonNode> x25519() {
    return Vectors.vectors("interconnection/x25519_sha256_direct.json", null);
  }

  static List<JsonNode> sm2() {
    return Vectors.vectors("interconnection/sm2_sha256_try_and_rehash.json", null);
  }

  @ParameterizedTest
  @MethodSource("x25519")
  void curve25519_libsodiumVectors_firstAndSecondStageMatch(JsonNode v) throws Exception {
    byte[] item = Vectors.hex(v, "item_hex");
    GroupScalar a = X.scalarFromBytes(Vectors.hex(v, "scalar_a"));
    GroupScalar b = X.scalarFromBytes(Vectors.hex(v, "scalar_b"));
    byte[] first = X.hashAndMultiply(a, item);
    assertThat(HEX.formatHex(first)).isEqualTo(v.get("first_a").asText());
    assertThat(HEX.formatHex(X.multiply(b, first))).isEqualTo(v.get("second_ba").asText());
  }

  @Test
  void curve25519_vectors_coverDigestsWithBit255Set() {
    assertThat(x25519()).filteredOn(v -> v.get("sha256_bit255_set").asBoolean()).hasSizeGreaterThan(8);
  }

  @Test
  void curve25519_rfc7748Vector1_throughTheSuitesMultiply() throws Exception {
    GroupScalar k =
        X.scalarFromBytes(HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
    byte[] out =
        X.multiply(k, HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
    assertThat(HEX.formatHex(out))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  }

  /**
   * Spec §9.3 item 2: JDK {@code XDH} fed the digest as a BigInteger without clearing bit 255 gives
   * another value for A:"a" — the vectors catch that bug, and the suite does not have it.
   */
  @Test
  void curve25519_jdkXdhWithoutMasking_differsAndTheSuiteMasks() throws Exception {
    byte[] kA = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    byte[] digest = HEX.parseHex("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
    assertThat(HEX.formatHex(jdkX25519(kA, digest, false)))
        .isEqualTo("cf0b22973e7ff928d7f2f351b81f014b39e59dc239c319c0655d01bf954a7632");
    byte[] masked = jdkX25519(kA, digest, true);
    assertThat(HEX.formatHex(masked))
        .isEqualTo("207b76882b801097f34f3d5f49775f6733d5a8b874d7fdd09e41c909cd277e66");
    assertThat(X.hashAndMultiply(X.scalarFromBytes(kA), "a".getBytes())).isEqualTo(masked);
  }

  @Test
  void curve25519_lowOrderInputs_areRejected() {
    GroupScalar k = X.randomScalar(new java.security.SecureRandom());
    byte[] zero = new byte[32];
    byte[] one = new byte[32];
    one[0] = 1;
    for (byte[] u : new byte[][] {zero, one}) {
      assertThatThrownBy(() -> X.multiply(k, u))
          .isInstanceOf(ProtocolAbortException.class)
          .extracting(e -> ((ProtocolAbortException) e).reason())
          .isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT);
    }
  }

  @Property(tries = 200)
  void curve25519_bit255OfU_isIgnored(
      @ForAll @Size(value = 32) byte[] scalar, @ForAll @Size(value = 32) byte[] u) {
    byte[] set = u.clone();
    set[31] |= (byte) 0x80;
    byte[] clear = u.clone();
    clear[31] &= 0x7F;
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    boolean okA = Curve25519Ladder.scalarMult(scalar, set, a);
    boolean okB = Curve25519Ladder.scalarMult(scalar, clear, b);
    assertThat(okA).isEqualTo(okB);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void curve25519_isTheX25519SuitesGroup() {
    assertThat(X.suite()).isEqualTo(SuiteId.X25519);
    assertThat(X).isSameAs(EcdhGroups.create(SuiteId.X25519));
  }

  @ParameterizedTest
  @MethodSource("sm2")
  void sm2_opensslVectors_hashRoundsAndStagesMatch(JsonNode v) throws Exception {
    byte[] item = Vectors.hex(v, "item_hex");
    IcSm2Group.Hit hit = IcSm2Group.tryAndRehash(item);
    assertThat(hit.round()).isEqualTo(v.get("rounds").asInt());
    assertThat(HEX.formatHex(SM2.hashToGroup(item))).isEqualTo(v.get("hash_to_curve").asText());
    GroupScalar a = SM2.scalarFromBytes(Vectors.hex(v, "scalar_a"));
    GroupScalar b = SM2.scalarFromBytes(Vectors.hex(v, "scalar_b"));
    byte[] first = SM2.hashAndMultiply(a, item);
    assertThat(HEX.formatHex(first)).isEqualTo(v.get("first_a").asText());
    assertThat(HEX.formatHex(SM2.multiply(b, first))).isEqualTo(v.get("second_ba").asText());
  }

  @Test
  void sm2_vectors_coverSeveralRehashRounds() {
    assertThat(sm2()).anyMatch(v -> v.get("rounds").asInt() >= 3);
    assertThat(sm2()).anyMatch(v -> v.get("rounds").asInt() == 1);
  }

  @Test
  void sm2_takesNoTagAndReportsTheSm2Curve() {
    assertThat(SM2.domainSeparationTag()).isEmpty();
    assertThat(SM2.suite()).isEqualTo(SuiteId.SM2);
    assertThat(SM2.elementLength()).isEqualTo(33);
  }

  /** X25519 through the JDK's XDH, with or without clearing bit 255 of the u BigInteger. */
  private static byte[] jdkX25519(byte[] k, byte[] u, boolean mask) throws Exception {
    byte[] le = u.clone();
    if (mask) {
      le[31] &= 0x7F;
    }
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    KeyFactory kf = KeyFactory.getInstance("XDH");
    PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k));
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(priv);
    ka.doPhase(pub, true);
    return ka.generateSecret();
  }
}
