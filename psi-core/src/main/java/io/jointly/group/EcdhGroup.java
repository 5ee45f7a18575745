package io.jointly.group;

import io.jointly.core.ProtocolAbortException;
import java.security.SecureRandom;

/**
 * A group with hash-to-group, used as the commutative encryption {@code E_k(x) = k·H(x)} of ECDH
 * PSI: {@code E_a(E_b(x)) = E_b(E_a(x))}. Elements travel in the suite's canonical encoding of
 * {@link #elementLength()} bytes.
 *
 * <p>Implementations are immutable and thread-safe: one instance serves all threads of a protocol
 * run. Every method that takes an element from a peer validates it fully (length, canonical
 * encoding, on the curve or in the group, not the identity) and throws {@link
 * ProtocolAbortException} with reason {@code INVALID_ELEMENT} otherwise.
 */
public interface EcdhGroup {

  /** Which suite this is. */
  SuiteId suite();

  /** The length in bytes of an encoded element. */
  int elementLength();

  /**
   * The domain-separation tag of the hash-to-group, as bytes (empty for suites, such as x25519,
   * whose hash takes no tag).
   */
  byte[] domainSeparationTag();

  /** A fresh uniformly random secret scalar (never zero). */
  GroupScalar randomScalar(SecureRandom random);

  /**
   * A scalar from its suite encoding, for known-answer tests and interoperability tests only.
   *
   * @throws IllegalArgumentException if the encoding is not a valid, non-zero scalar of the suite
   */
  GroupScalar scalarFromBytes(byte[] encoded);

  /** {@code encode(H(item))}: the item hashed to a group element. */
  byte[] hashToGroup(byte[] item);

  /** {@code encode(k·H(item))}: the first ECDH-PSI pass over one of this party's own items. */
  byte[] hashAndMultiply(GroupScalar k, byte[] item);

  /**
   * {@code encode(k·decode(element))}: the second pass over an element received from the peer.
   *
   * @throws ProtocolAbortException with reason {@code INVALID_ELEMENT} if {@code element} has the
   *     wrong length, is not a canonical encoding, is not a valid element or is the identity
   */
  byte[] multiply(GroupScalar k, byte[] element) throws ProtocolAbortException;
}
