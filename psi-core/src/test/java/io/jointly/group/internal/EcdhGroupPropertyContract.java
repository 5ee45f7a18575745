package io.jointly.group.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.ProtocolAbortException;
import io.jointly.core.SecretAccess;
import io.jointly.group.EcdhGroup;
import io.jointly.group.GroupScalar;
import io.jointly.group.SuiteId;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The properties every {@link EcdhGroup} suite must have, run by one {@code *PropertyTest} subclass
 * per suite: commutativity of the encryption, {@code hashAndMultiply} as {@code multiply} after
 * {@code hashToGroup}, distinct items to distinct elements, decode/encode round trips and valid
 * random scalars.
 */
abstract class EcdhGroupPropertyContract {

  /** The suite under test. */
  abstract EcdhGroup group();

  /** Valid scalar encodings of the suite (for {@code scalarFromBytes}). */
  abstract Arbitrary<byte[]> scalarEncodings();

  /** Decodes {@code element} with full validation and encodes it again. */
  abstract byte[] decodeThenEncode(byte[] element) throws ProtocolAbortException;

  @Provide
  Arbitrary<GroupScalar> scalars() {
    return scalarEncodings().map(b -> group().scalarFromBytes(b));
  }

  @Property(tries = 100)
  void multiply_twoScalarsInEitherOrder_givesSameElement(
      @ForAll("scalars") GroupScalar a,
      @ForAll("scalars") GroupScalar b,
      @ForAll @Size(max = 64) byte[] item)
      throws ProtocolAbortException {
    EcdhGroup g = group();
    byte[] ab = g.multiply(a, g.hashAndMultiply(b, item));
    byte[] ba = g.multiply(b, g.hashAndMultiply(a, item));
    assertThat(ab).hasSize(g.elementLength()).isEqualTo(ba);
  }

  @Property(tries = 100)
  void hashAndMultiply_anyItem_equalsMultiplyOfHashToGroup(
      @ForAll("scalars") GroupScalar k, @ForAll @Size(max = 64) byte[] item)
      throws ProtocolAbortException {
    EcdhGroup g = group();
    byte[] h = g.hashToGroup(item);
    assertThat(h).hasSize(g.elementLength());
    assertThat(g.hashAndMultiply(k, item)).isEqualTo(g.multiply(k, h));
  }

  @Property(tries = 100)
  void hashToGroup_distinctItems_giveDistinctElements(
      @ForAll("scalars") GroupScalar k,
      @ForAll @Size(max = 32) byte[] x,
      @ForAll @Size(max = 32) byte[] y) {
    Assume.that(!Arrays.equals(x, y));
    EcdhGroup g = group();
    assertThat(g.hashToGroup(x)).isNotEqualTo(g.hashToGroup(y));
    assertThat(g.hashAndMultiply(k, x)).isNotEqualTo(g.hashAndMultiply(k, y));
  }

  @Property(tries = 100)
  void decode_elementsTheGroupProduces_roundTrip(
      @ForAll("scalars") GroupScalar k, @ForAll @Size(max = 64) byte[] item)
      throws ProtocolAbortException {
    EcdhGroup g = group();
    byte[] h = g.hashToGroup(item);
    byte[] kh = g.hashAndMultiply(k, item);
    assertThat(decodeThenEncode(h)).isEqualTo(h);
    assertThat(decodeThenEncode(kh)).isEqualTo(kh);
  }

  @Property(tries = 100)
  void randomScalar_anySeed_isAValidScalarEncoding(@ForAll long seed)
      throws ProtocolAbortException {
    EcdhGroup g = group();
    GroupScalar k = g.randomScalar(new SeededSecureRandom(seed));
    assertThat(k.suite()).isEqualTo(g.suite());
    byte[] encoded = k.toByteArray(SecretAccess.insecure());
    GroupScalar again = g.scalarFromBytes(encoded);
    byte[] h = g.hashToGroup(encoded);
    assertThat(g.multiply(again, h)).isEqualTo(g.multiply(k, h));
  }

  @Property(tries = 10)
  void multiply_scalarOfAnotherSuite_isRejected(@ForAll @Size(max = 16) byte[] item) {
    EcdhGroup g = group();
    SuiteId otherSuite = g.suite() == SuiteId.X25519 ? SuiteId.P256 : SuiteId.X25519;
    byte[] one = new byte[32];
    one[0] = 1;
    one[31] = 1;
    GroupScalar foreign = new GroupScalar(otherSuite, one, SecretAccess.insecure());
    assertThatThrownBy(() -> g.hashAndMultiply(foreign, item))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
