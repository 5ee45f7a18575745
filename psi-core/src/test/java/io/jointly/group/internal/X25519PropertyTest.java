package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class X25519PropertyTest extends EcdhGroupPropertyContract {
  private static final X25519Group GROUP = new X25519Group();

  @Override
  EcdhGroup group() {
    return GROUP;
  }

  @Override
  Arbitrary<byte[]> scalarEncodings() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Override
  byte[] decodeThenEncode(byte[] element) throws io.jointly.core.ProtocolAbortException {
    return GROUP.decode(element).clone();
  }

  @Property(tries = 100)
  void randomScalar_anySeed_isClamped(@ForAll long seed) {
    GroupScalar k = GROUP.randomScalar(new SeededSecureRandom(seed));
    byte[] b = k.toByteArray(SecretAccess.insecure());
    assertThat(b[0] & 0x07).isZero();
    assertThat(b[31] & 0xC0).isEqualTo(0x40);
  }

  @Property(tries = 100)
  void hashToGroup_anyItem_hasBit255Clear(@ForAll byte[] item) {
    assertThat(GROUP.hashToGroup(item)[31] & 0x80).isZero();
  }
}
