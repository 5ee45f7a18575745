package io.jointly.paillier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known answers from {@code src/test/resources/paillier/paillier_kat.py}, which computes them with
 * plain Python integers from the textbook formulas (fixed p, q, m, r): ciphertexts, decryptions,
 * and the ciphertexts of sums, differences, negation, signed scalar products and an inner product.
 */
class PaillierKatTest {
  private static JsonNode kat;
  private static PaillierSecretKey sk;
  private static PaillierPublicKey pk;
  private static PaillierDecryptor dec;
  private static PaillierEncryptor enc;
  private static List<Ciphertext> cs;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PaillierKatTest.class.getResourceAsStream("/paillier/paillier-kat.json")) {
      kat = new ObjectMapper().readTree(in);
    }
    sk =
        PaillierSecretKey.fromPrimes(
            hex(kat.get("p")),
            hex(kat.get("q")),
            PaillierParameters.PAILLIER_2048,
            SecretAccess.insecure());
    pk = sk.publicKey();
    dec = new PaillierDecryptor(sk);
    enc = PaillierEncryptor.builder(pk).random(new SecureRandom()).poolCapacity(1).build();
    cs = new ArrayList<>();
    for (JsonNode e : kat.get("encryptions")) {
      cs.add(new Ciphertext(hex(e.get("c"))));
    }
  }

  @Test
  void fromPrimes_katPrimes_giveKatModulus() throws ProtocolAbortException {
    assertThat(pk.n()).isEqualTo(hex(kat.get("n")));
    assertThat(PaillierPublicKey.fromBytes(pk.toBytes(), PaillierParameters.PAILLIER_2048))
        .isEqualTo(pk);
  }

  @Test
  void encryptWithR_katVectors_giveKatCiphertexts() {
    for (JsonNode e : kat.get("encryptions")) {
      Ciphertext c = PaillierEncryptor.encryptWithR(pk, hex(e.get("m")), hex(e.get("r")));
      assertThat(c.value()).isEqualTo(hex(e.get("c")));
    }
  }

  @Test
  void decrypt_katCiphertexts_giveKatPlaintexts() throws ProtocolAbortException {
    for (JsonNode e : kat.get("encryptions")) {
      Ciphertext c = pk.decodeCiphertext(Bytes.wrap(fixed(hex(e.get("c")), 512)));
      assertThat(dec.decrypt(c)).isEqualTo(hex(e.get("m")));
      assertThat(TestKeys.textbookDecrypt(sk, c.value())).isEqualTo(hex(e.get("m")));
    }
  }

  @Test
  void homomorphicOps_katCiphertexts_giveKatResults() {
    JsonNode ops = kat.get("operations");
    JsonNode add = ops.get("add");
    Ciphertext sum = enc.add(cs.get(add.get("a").asInt()), cs.get(add.get("b").asInt()));
    assertThat(sum.value()).isEqualTo(hex(add.get("c")));
    assertThat(dec.decrypt(sum)).isEqualTo(hex(add.get("m")));
    JsonNode sub = ops.get("subtract");
    Ciphertext diff = enc.subtract(cs.get(sub.get("a").asInt()), cs.get(sub.get("b").asInt()));
    assertThat(diff.value()).isEqualTo(hex(sub.get("c")));
    assertThat(dec.decrypt(diff)).isEqualTo(hex(sub.get("m")));
    JsonNode neg = ops.get("negate");
    Ciphertext negated = enc.negate(cs.get(neg.get("a").asInt()));
    assertThat(negated.value()).isEqualTo(hex(neg.get("c")));
    assertThat(dec.decrypt(negated)).isEqualTo(hex(neg.get("m")));
  }

  @Test
  void multiply_katSignedScalars_giveKatCiphertexts() {
    for (JsonNode s : kat.get("scalar")) {
      Ciphertext c = cs.get(s.get("index").asInt());
      long k = s.get("k").asLong();
      Ciphertext product = enc.multiply(c, k);
      assertThat(product.value()).as("k=%d", k).isEqualTo(hex(s.get("c")));
      assertThat(dec.decrypt(product)).isEqualTo(hex(s.get("m")));
      assertThat(enc.multiply(c, BigInteger.valueOf(k)).value()).isEqualTo(hex(s.get("c")));
    }
  }

  @Test
  void multiExp_katScalars_giveKatCiphertext() {
    JsonNode me = kat.get("multiExp");
    long[] k = new long[me.get("k").size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = me.get("k").get(i).asLong();
    }
    Ciphertext result = enc.multiExp(cs.subList(0, k.length), k);
    assertThat(result.value()).isEqualTo(hex(me.get("c")));
    assertThat(dec.decrypt(result)).isEqualTo(hex(me.get("m")));
  }

  private static BigInteger hex(JsonNode node) {
    String s = node.asText();
    return new BigInteger(s.startsWith("0x") ? s.substring(2) : s, 16);
  }

  private static byte[] fixed(BigInteger v, int width) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[width];
    int len = Math.min(raw.length, width);
    System.arraycopy(raw, raw.length - len, out, width - len, len);
    return out;
  }
}
