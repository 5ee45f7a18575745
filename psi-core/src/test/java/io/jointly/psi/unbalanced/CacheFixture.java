package io.jointly.psi.unbalanced;

import io.jointly.core.Bytes;
import io.jointly.oprf.Oprf;
import io.jointly.oprf.OprfKey;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Shared pieces of the unbalanced-PSI tests: an executor, keys, phone numbers, encodings. */
final class CacheFixture {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "unbalanced-test");
            t.setDaemon(true);
            return t;
          });

  private CacheFixture() {}

  static OprfKey key() {
    return OprfKey.generate(OprfSuite.RISTRETTO255_SHA512, RANDOM);
  }

  /** Mainland mobile number number i (distinct for distinct i below 10^8). */
  static String phone(int i) {
    return String.format("139%08d", i);
  }

  static List<String> phones(int from, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      out.add(phone(i));
    }
    return out;
  }

  static CacheEncoder encoder(Path work) {
    return new CacheEncoder(POOL, 2, work);
  }

  static CacheSpec spec() {
    return CacheSpec.of("partner", IdentifierProfile.PHONE);
  }

  /** The OPRF output of a phone number as the server computes it (normalised first). */
  static Bytes output(OprfKey key, String phone) throws Exception {
    String canonical = IdentifierProfile.PHONE.normalize(phone).orElseThrow();
    return Oprf.RISTRETTO255_SHA512.evaluate(key, canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
