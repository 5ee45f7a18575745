package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import io.jointly.group.EcdhGroups;
import io.jointly.group.InterconnectionSuite;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The group contract for the interconnection SM2 suite, plus the shape of its try-and-rehash hash:
 * every hit has even y and an x that is one of the walk's digests reduced mod p.
 */
class IcSm2PropertyTest extends EcdhGroupPropertyContract {
  private static final IcSm2Group GROUP =
      (IcSm2Group) EcdhGroups.create(InterconnectionSuite.SM2_SHA256_TRY_AND_REHASH);
  private static final BigInteger N = Sm2Group.domain().getN();
  private static final BigInteger P = Sm2Group.domain().getCurve().getField().getCharacteristic();

  @Override
  EcdhGroup group() {
    return GROUP;
  }

  @Override
  Arbitrary<byte[]> scalarEncodings() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ONE, N.subtract(BigInteger.ONE))
        .edgeCases(c -> c.includeOnly(BigInteger.ONE, N.subtract(BigInteger.ONE)))
        .map(WeierstrassTestCurve::fixed32);
  }

  @Override
  byte[] decodeThenEncode(byte[] element) throws ProtocolAbortException {
    return GROUP.decode(element).getEncoded(true);
  }

  @Property(tries = 200)
  void tryAndRehash_anyItem_hitsEvenYAtTheWalksDigest(@ForAll @Size(max = 64) byte[] item) {
    IcSm2Group.Hit hit = IcSm2Group.tryAndRehash(item);
    assertThat(hit).isNotNull();
    ECPoint p = hit.point();
    assertThat(p.isValid()).isTrue();
    assertThat(p.getAffineYCoord().toBigInteger().testBit(0)).as("y is even").isFalse();
    byte[] h = sha256(item);
    for (int i = 1; i < hit.round(); i++) {
      h = sha256(h);
    }
    assertThat(p.getAffineXCoord().toBigInteger()).isEqualTo(new BigInteger(1, h).mod(P));
    assertThat(GROUP.hashToGroup(item)).isEqualTo(p.getEncoded(true));
  }

  @Property(tries = 50)
  void hashToGroup_isNotTheNativeSm2Suite(@ForAll @Size(max = 64) byte[] item) {
    assertThat(GROUP.hashToGroup(item)).isNotEqualTo(new Sm2Group().hashToGroup(item));
  }

  private static byte[] sha256(byte[] in) {
    SHA256Digest d = new SHA256Digest();
    d.update(in, 0, in.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
