package io.jointly.group;

import io.jointly.core.ProtocolAbortException;
import java.security.SecureRandom;

/**
 * A prime-order group on canonically encoded elements, with the operations of Diffie–Hellman-style
 * protocols beyond ECDH PSI's {@code k·H(x)}: multiples of the generator, addition and subtraction.
 * Used by the base oblivious transfers of {@code io.jointly.ot}.
 *
 * <p>Every method that takes an element validates it fully (length, canonical encoding, group
 * membership) and refuses the identity, throwing {@link ProtocolAbortException} with reason {@code
 * INVALID_ELEMENT}; results that would be the identity are refused the same way, since an honest
 * peer produces them with negligible probability. Implementations are immutable and thread-safe;
 * which operations are constant-time is stated by each implementation.
 */
public interface PrimeOrderGroup {

  /** The length in bytes of an encoded element. */
  int elementLength();

  /** A fresh uniformly random non-zero scalar. */
  GroupScalar randomScalar(SecureRandom random);

  /** {@code encode(k·G)} for the group's standard generator G. */
  byte[] baseMultiply(GroupScalar k);

  /** {@code encode(k·P)}. */
  byte[] multiply(GroupScalar k, byte[] element) throws ProtocolAbortException;

  /** {@code encode(P + Q)}. */
  byte[] add(byte[] p, byte[] q) throws ProtocolAbortException;

  /** {@code encode(P − Q)}. */
  byte[] subtract(byte[] p, byte[] q) throws ProtocolAbortException;
}
