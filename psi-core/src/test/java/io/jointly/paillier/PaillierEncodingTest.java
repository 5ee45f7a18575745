package io.jointly.paillier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.ProtocolAbortException.Reason;
import io.jointly.core.SecretAccess;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Validation on receipt, parameter checks, and that secrets never show in strings. */
class PaillierEncodingTest {
  private static final PaillierKeyPair KEYS = TestKeys.key2048();
  private static final PaillierPublicKey PK = KEYS.publicKey();
  private static final PaillierParameters P2048 = PaillierParameters.PAILLIER_2048;
  private static final BigInteger P = KEYS.secretKey().p(SecretAccess.insecure());
  private static final BigInteger Q = KEYS.secretKey().q(SecretAccess.insecure());

  @Test
  void parameters_belowMinimumOrOddSizes_areRejected() {
    assertThatThrownBy(() -> new PaillierParameters(1024, PaillierParameters.Randomness.FULL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PaillierParameters(2050, PaillierParameters.Randomness.FULL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PaillierParameters.PAILLIER_3072.shortExponentBits()).isEqualTo(1536);
    assertThat(P2048.ciphertextBytes()).isEqualTo(512);
    assertThat(P2048.publicKeyBytes()).isEqualTo(256);
  }

  @Test
  void publicKey_roundTrip_isCanonical() throws ProtocolAbortException {
    Bytes encoded = PK.toBytes();
    assertThat(encoded.length()).isEqualTo(256);
    assertThat(PaillierPublicKey.fromBytes(encoded, P2048)).isEqualTo(PK);
    assertThat(PaillierPublicKey.fromBytes(encoded, P2048).toBytes()).isEqualTo(encoded);
  }

  @Test
  void publicKey_wrongLength_abortsMalformed() {
    Bytes shorter = PK.toBytes().slice(1, 255);
    assertAbort(() -> PaillierPublicKey.fromBytes(shorter, P2048), Reason.MALFORMED_MESSAGE);
    assertAbort(
        () -> PaillierPublicKey.fromBytes(PK.toBytes(), PaillierParameters.PAILLIER_3072),
        Reason.MALFORMED_MESSAGE);
  }

  @Test
  void publicKey_invalidModuli_abortInvalidElement() {
    BigInteger n = PK.n();
    BigInteger top = BigInteger.ONE.shiftLeft(2047);
    // Top bit clear: n has fewer bits than agreed.
    assertAbort(() -> decodeKey(n.clearBit(2047)), Reason.INVALID_ELEMENT);
    // Even.
    assertAbort(() -> decodeKey(n.clearBit(0)), Reason.INVALID_ELEMENT);
    // A small factor: 3·(odd number of 2046 bits), top bit set.
    BigInteger withSmallFactor = top.divide(BigInteger.valueOf(3)).setBit(0).multiply(BigInteger.valueOf(3));
    while (withSmallFactor.bitLength() < 2048) {
      withSmallFactor = withSmallFactor.add(BigInteger.valueOf(6));
    }
    BigInteger finalSmall = withSmallFactor;
    assertAbort(() -> decodeKey(finalSmall), Reason.INVALID_ELEMENT);
    // A prime.
    BigInteger prime = BigInteger.probablePrime(2048, new SecureRandom());
    assertAbort(() -> decodeKey(prime), Reason.INVALID_ELEMENT);
    // A square of a prime.
    BigInteger square = P.multiply(P);
    assertAbort(() -> decodeKey(square), Reason.INVALID_ELEMENT);
  }

  @Test
  void ciphertext_outOfRangeOrNotUnit_abortsInvalidElement() {
    BigInteger n2 = PK.nSquared();
    assertAbort(() -> PK.decodeCiphertext(Bytes.wrap(new byte[512])), Reason.INVALID_ELEMENT);
    assertAbort(() -> decodeCt(n2), Reason.INVALID_ELEMENT);
    BigInteger allOnes = BigInteger.ONE.shiftLeft(4096).subtract(BigInteger.ONE);
    assertAbort(() -> decodeCt(allOnes), Reason.INVALID_ELEMENT);
    assertAbort(() -> decodeCt(P.multiply(BigInteger.valueOf(12345))), Reason.INVALID_ELEMENT);
    assertAbort(() -> decodeCt(Q), Reason.INVALID_ELEMENT);
    assertAbort(() -> decodeCt(PK.n()), Reason.INVALID_ELEMENT);
  }

  @Test
  void ciphertext_wrongLengthOrBatchSize_abortsMalformed() {
    assertAbort(() -> PK.decodeCiphertext(Bytes.wrap(new byte[511])), Reason.MALFORMED_MESSAGE);
    assertAbort(() -> PK.decodeAll(Bytes.wrap(new byte[1023]), 2), Reason.MALFORMED_MESSAGE);
    assertAbort(() -> PK.decodeAll(Bytes.wrap(new byte[1024]), 1), Reason.MALFORMED_MESSAGE);
  }

  @Test
  void ciphertext_atTopOfRange_isAcceptedWhenUnit() throws ProtocolAbortException {
    BigInteger top = PK.nSquared().subtract(BigInteger.ONE); // −1 mod n², a unit
    assertThat(decodeCt(top).value()).isEqualTo(top);
    assertThat(decodeCt(BigInteger.ONE).value()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void encode_ciphertextOfAnotherKey_isRejected() {
    Ciphertext tooBig = new Ciphertext(PK.nSquared());
    assertThatThrownBy(() -> PK.encode(tooBig)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretKey_toStrings_areRedacted() {
    String p = P.toString();
    String q = Q.toString();
    for (String s :
        new String[] {
          KEYS.secretKey().toString(), KEYS.toString(), new PaillierDecryptor(KEYS.secretKey()).toString()
        }) {
      assertThat(s).doesNotContain(p).doesNotContain(q).doesNotContain(P.toString(16));
    }
    assertThat(KEYS.secretKey().toString()).contains("redacted");
  }

  @Test
  void fromPrimes_unsafePrimes_areRejected() {
    SecureRandom random = new SecureRandom();
    SecretAccess access = SecretAccess.insecure();
    // Equal primes.
    assertThatThrownBy(() -> PaillierSecretKey.fromPrimes(P, P, P2048, access))
        .isInstanceOf(IllegalArgumentException.class);
    // Too close: q the next prime after p.
    BigInteger close = P.nextProbablePrime();
    assertThatThrownBy(() -> PaillierSecretKey.fromPrimes(P, close, P2048, access))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(P.toString());
    // Composite "prime" of the right size.
    BigInteger composite = Q.add(BigInteger.TWO.shiftLeft(900)).multiply(BigInteger.ONE);
    while (composite.isProbablePrime(50)) {
      composite = composite.add(BigInteger.TWO);
    }
    BigInteger finalComposite = composite;
    assertThatThrownBy(() -> PaillierSecretKey.fromPrimes(P, finalComposite, P2048, access))
        .isInstanceOf(IllegalArgumentException.class);
    // Wrong sizes.
    BigInteger small = BigInteger.probablePrime(1000, random);
    assertThatThrownBy(() -> PaillierSecretKey.fromPrimes(P, small, P2048, access))
        .isInstanceOf(IllegalArgumentException.class);
    // The generated primes are accepted and give the same public key.
    assertThat(PaillierSecretKey.fromPrimes(P, Q, P2048, access).publicKey()).isEqualTo(PK);
  }

  @Test
  void generate_key_hasExactSizeAndDistinctPrimes() {
    assertThat(PK.n().bitLength()).isEqualTo(2048);
    assertThat(P.bitLength()).isEqualTo(1024);
    assertThat(Q.bitLength()).isEqualTo(1024);
    assertThat(P).isNotEqualTo(Q);
    assertThat(P.multiply(Q)).isEqualTo(PK.n());
  }

  private static PaillierPublicKey decodeKey(BigInteger n) throws ProtocolAbortException {
    return PaillierPublicKey.fromBytes(Bytes.wrap(PaillierPublicKey.fixedWidth(n, 256)), P2048);
  }

  private static Ciphertext decodeCt(BigInteger c) throws ProtocolAbortException {
    return PK.decodeCiphertext(Bytes.wrap(PaillierPublicKey.fixedWidth(c, 512)));
  }

  private interface Call {
    Object run() throws ProtocolAbortException;
  }

  private static void assertAbort(Call call, Reason reason) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ProtocolAbortException.class)
        .satisfies(e -> assertThat(((ProtocolAbortException) e).reason()).isEqualTo(reason));
  }
}
