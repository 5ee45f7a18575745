package io.jointly.group.internal;

import static io.jointly.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.GroupScalar;
import io.jointly.testing.Vectors;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 7748 §5.2 (single and iterated X25519) and §6.1 (Diffie-Hellman) vectors from {@code
 * vectors/x25519.json}, through Bouncy Castle's primitive and through {@link X25519Group}; and
 * rejection of non-canonical and low-order elements.
 */
class X25519KatTest {
  private static final String FILE = "x25519.json";
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private final X25519Group group = new X25519Group();

  static List<JsonNode> single() {
    return Vectors.vectors(FILE, "x25519");
  }

  static Stream<JsonNode> iteratedUpToThousand() {
    return Vectors.vectors(FILE, "iterated").stream()
        .filter(v -> v.get("iterations").asInt() <= 1000);
  }

  static JsonNode dh() {
    return Vectors.vectors(FILE, "dh").get(0);
  }

  /** The base point u = 9, taken from the iterated vectors' starting value. */
  static byte[] basePoint() {
    return hex(Vectors.vectors(FILE, "iterated").get(0), "u_initial");
  }

  @ParameterizedTest
  @MethodSource("single")
  void ladder_rfc7748Vector_givesOutput(JsonNode v) {
    // Jointly's own ladder, the one X25519Group uses; the second vector's u has bit 255 set.
    byte[] out = new byte[32];
    assertThat(Curve25519Ladder.scalarMult(hex(v, "scalar"), hex(v, "u"), out)).isTrue();
    assertThat(out).isEqualTo(hex(v, "output"));
  }

  @ParameterizedTest
  @MethodSource("iteratedUpToThousand")
  void ladder_iterated_givesOutput(JsonNode v) {
    assertThat(iterateWithLadder(v)).isEqualTo(hex(v, "output"));
  }

  static byte[] iterateWithLadder(JsonNode v) {
    byte[] k = hex(v, "k_initial");
    byte[] u = hex(v, "u_initial");
    for (int i = 0; i < v.get("iterations").asInt(); i++) {
      byte[] next = new byte[32];
      Curve25519Ladder.scalarMult(k, u, next);
      u = k;
      k = next;
    }
    return k;
  }

  @ParameterizedTest
  @MethodSource("single")
  void scalarMult_rfc7748Vector_givesOutput(JsonNode v) {
    byte[] out = new byte[32];
    X25519.scalarMult(hex(v, "scalar"), 0, hex(v, "u"), 0, out, 0);
    assertThat(out).isEqualTo(hex(v, "output"));
  }

  @ParameterizedTest
  @MethodSource("single")
  void scalarFromBytes_rfc7748Vector_storesTheClampedScalar(JsonNode v) {
    GroupScalar k = group.scalarFromBytes(hex(v, "scalar"));
    assertThat(littleEndian(k.toByteArray(SecretAccess.insecure())))
        .isEqualTo(new BigInteger(v.get("scalar_decoded_decimal").asText()));
  }

  @ParameterizedTest
  @MethodSource("single")
  void multiply_rfc7748VectorWithBit255Cleared_givesOutput(JsonNode v)
      throws ProtocolAbortException {
    byte[] u = hex(v, "u");
    u[31] &= 0x7F; // what decodeUCoordinate does; Jointly's wire format requires it
    assertThat(littleEndian(u)).isEqualTo(new BigInteger(v.get("u_decoded_decimal").asText()));
    assertThat(group.multiply(group.scalarFromBytes(hex(v, "scalar")), u))
        .isEqualTo(hex(v, "output"));
  }

  @Test
  void multiply_rfc7748VectorWithBit255Set_isRejected() {
    List<JsonNode> topBitSet = new ArrayList<>();
    for (JsonNode v : single()) {
      if ((hex(v, "u")[31] & 0x80) != 0) {
        topBitSet.add(v);
      }
    }
    assertThat(topBitSet).isNotEmpty();
    for (JsonNode v : topBitSet) {
      GroupScalar k = group.scalarFromBytes(hex(v, "scalar"));
      assertInvalid(k, hex(v, "u"));
    }
  }

  @ParameterizedTest
  @MethodSource("iteratedUpToThousand")
  void scalarMult_iterated_givesOutput(JsonNode v) {
    assertThat(iterateWithBouncyCastle(v)).isEqualTo(hex(v, "output"));
  }

  @ParameterizedTest
  @MethodSource("iteratedUpToThousand")
  void multiply_iterated_givesOutput(JsonNode v) throws ProtocolAbortException {
    byte[] k = hex(v, "k_initial");
    byte[] u = hex(v, "u_initial");
    for (int i = 0; i < v.get("iterations").asInt(); i++) {
      byte[] next = group.multiply(group.scalarFromBytes(k), u);
      u = k;
      k = next;
    }
    assertThat(k).isEqualTo(hex(v, "output"));
  }

  @Test
  @Tag("slow")
  void ladder_iteratedMillionTimes_givesOutput() {
    JsonNode v =
        Vectors.vectors(FILE, "iterated").stream()
            .filter(x -> x.get("iterations").asInt() == 1_000_000)
            .findFirst()
            .orElseThrow();
    assertThat(iterateWithLadder(v)).isEqualTo(hex(v, "output"));
  }

  @Test
  void calculateAgreement_rfc7748DiffieHellman_bothSidesAgree() {
    JsonNode v = dh();
    byte[] alicePublic = new byte[32];
    byte[] bobPublic = new byte[32];
    X25519.scalarMultBase(hex(v, "alice_private"), 0, alicePublic, 0);
    X25519.scalarMultBase(hex(v, "bob_private"), 0, bobPublic, 0);
    assertThat(alicePublic).isEqualTo(hex(v, "alice_public"));
    assertThat(bobPublic).isEqualTo(hex(v, "bob_public"));
    byte[] aliceShared = new byte[32];
    byte[] bobShared = new byte[32];
    assertThat(X25519.calculateAgreement(hex(v, "alice_private"), 0, bobPublic, 0, aliceShared, 0))
        .isTrue();
    assertThat(X25519.calculateAgreement(hex(v, "bob_private"), 0, alicePublic, 0, bobShared, 0))
        .isTrue();
    assertThat(aliceShared).isEqualTo(bobShared).isEqualTo(hex(v, "shared_secret"));
  }

  @Test
  void multiply_rfc7748DiffieHellman_bothSidesAgree() throws ProtocolAbortException {
    JsonNode v = dh();
    GroupScalar alice = group.scalarFromBytes(hex(v, "alice_private"));
    GroupScalar bob = group.scalarFromBytes(hex(v, "bob_private"));
    byte[] alicePublic = group.multiply(alice, basePoint());
    byte[] bobPublic = group.multiply(bob, basePoint());
    assertThat(alicePublic).isEqualTo(hex(v, "alice_public"));
    assertThat(bobPublic).isEqualTo(hex(v, "bob_public"));
    assertThat(group.multiply(alice, bobPublic))
        .isEqualTo(group.multiply(bob, alicePublic))
        .isEqualTo(hex(v, "shared_secret"));
  }

  @Test
  void multiply_lowOrderPoints_areRejected() {
    GroupScalar k = group.scalarFromBytes(hex(dh(), "alice_private"));
    List<BigInteger> lowOrder = new ArrayList<>(orderEightU());
    assertThat(lowOrder).hasSize(2);
    lowOrder.add(BigInteger.ZERO); // (0, 0), order 2
    lowOrder.add(BigInteger.ONE); // order 4
    lowOrder.add(P.subtract(BigInteger.ONE)); // order 4 on the twist
    for (BigInteger u : lowOrder) {
      byte[] out = new byte[32];
      assertThat(X25519.calculateAgreement(hex(dh(), "alice_private"), 0, encode(u), 0, out, 0))
          .as("Bouncy Castle rejects u = %s", u)
          .isFalse();
      assertInvalid(k, encode(u));
    }
  }

  @Test
  void multiply_nonCanonicalEncodings_areRejected() {
    GroupScalar k = group.scalarFromBytes(hex(dh(), "alice_private"));
    // p, p + 1 and 2^255 - 1: the values >= p that fit in 255 bits; p + 9 is the base point + p.
    for (BigInteger u :
        List.of(
            P,
            P.add(BigInteger.ONE),
            P.add(BigInteger.valueOf(9)),
            P.add(BigInteger.valueOf(18)))) {
      assertInvalid(k, encode(u));
    }
    byte[] nine = basePoint();
    nine[31] |= (byte) 0x80; // 9 + 2^255
    assertInvalid(k, nine);
  }

  @Test
  void multiply_wrongLengths_areRejected() {
    GroupScalar k = group.scalarFromBytes(hex(dh(), "alice_private"));
    byte[] pub = hex(dh(), "bob_public");
    assertInvalid(k, new byte[0]);
    assertInvalid(k, java.util.Arrays.copyOf(pub, 31));
    assertInvalid(k, java.util.Arrays.copyOf(pub, 33));
  }

  @Test
  void scalarFromBytes_wrongLength_isRejected() {
    assertThatThrownBy(() -> group.scalarFromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void domainSeparationTag_x25519_isEmpty() {
    assertThat(group.domainSeparationTag()).isEmpty();
    assertThat(group.elementLength()).isEqualTo(32);
  }

  @Test
  void hashToGroup_item_isSha256WithBit255Cleared() throws Exception {
    byte[] item = "jointly".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(item);
    expected[31] &= 0x7F;
    assertThat(group.hashToGroup(item)).isEqualTo(expected);
  }

  private void assertInvalid(GroupScalar k, byte[] element) {
    assertThatThrownBy(() -> group.multiply(k, element))
        .isInstanceOf(ProtocolAbortException.class)
        .extracting(e -> ((ProtocolAbortException) e).reason())
        .isEqualTo(ProtocolAbortException.Reason.INVALID_ELEMENT);
  }

  private static byte[] iterateWithBouncyCastle(JsonNode v) {
    byte[] k = hex(v, "k_initial");
    byte[] u = hex(v, "u_initial");
    byte[] r = new byte[32];
    for (int i = 0; i < v.get("iterations").asInt(); i++) {
      X25519.scalarMult(k, 0, u, 0, r, 0);
      byte[] oldK = k;
      k = r;
      u = oldK;
      r = new byte[32];
    }
    return k;
  }

  /**
   * The u-coordinates of the points of order 8 on Curve25519 (A = 486662), computed: x([2]Q) = 1
   * (the order-4 point) gives u^4 - 4u^3 - (4A + 2)u^2 - 4u + 1 = 0; with w = u + 1/u this is w^2 -
   * 4w - 4(A + 1) = 0, so w = 2 ± 2·sqrt(A + 2) and u^2 - wu + 1 = 0.
   */
  private static List<BigInteger> orderEightU() {
    BigInteger a = BigInteger.valueOf(486662);
    BigInteger two = BigInteger.TWO;
    BigInteger four = BigInteger.valueOf(4);
    List<BigInteger> out = new ArrayList<>();
    BigInteger s = sqrt(a.add(two));
    if (s == null) {
      return out;
    }
    for (BigInteger w :
        List.of(two.add(two.multiply(s)).mod(P), two.subtract(two.multiply(s)).mod(P))) {
      BigInteger d = sqrt(w.multiply(w).subtract(four).mod(P));
      if (d == null) {
        continue;
      }
      BigInteger half = two.modInverse(P);
      for (BigInteger u :
          List.of(w.add(d).multiply(half).mod(P), w.subtract(d).multiply(half).mod(P))) {
        // Keep u if the point is on the curve (v^2 = u^3 + Au^2 + u is a square), not the twist.
        BigInteger rhs = u.pow(3).add(a.multiply(u.pow(2))).add(u).mod(P);
        if (sqrt(rhs) != null && !out.contains(u)) {
          out.add(u);
        }
      }
    }
    return out;
  }

  /** A square root mod p = 2^255 - 19 (p = 5 mod 8), or null if there is none. */
  private static BigInteger sqrt(BigInteger x) {
    BigInteger r = x.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (r.multiply(r).mod(P).equals(x.mod(P))) {
      return r;
    }
    BigInteger sqrtMinusOne = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    r = r.multiply(sqrtMinusOne).mod(P);
    return r.multiply(r).mod(P).equals(x.mod(P)) ? r : null;
  }

  private static BigInteger littleEndian(byte[] b) {
    byte[] be = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      be[i] = b[b.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] encode(BigInteger u) {
    byte[] out = new byte[32];
    byte[] be = u.toByteArray();
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }
}
