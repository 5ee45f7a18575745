package io.jointly.group.internal;

import io.jointly.core.ProtocolAbortException;
import io.jointly.group.EcdhGroup;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

class P256PropertyTest extends EcdhGroupPropertyContract {
  private static final P256Group GROUP = new P256Group();
  private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();

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
}
