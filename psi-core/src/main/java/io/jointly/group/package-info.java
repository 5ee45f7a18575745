/**
 * Groups with hash-to-group used as commutative encryption {@code E_k(x) = k·H(x)}: the {@link
 * io.jointly.group.EcdhGroup} interface, the {@link io.jointly.group.SuiteId} suites
 * (ristretto255, x25519, p256, sm2) and their factory {@link io.jointly.group.EcdhGroups}.
 *
 * <p>Security model: under the decisional Diffie–Hellman assumption in the group, with {@code H}
 * modelled as a random oracle, {@code k·H(x)} reveals nothing about {@code x} to a party that does
 * not know {@code k}. Every element received from a peer is validated (length, canonical encoding,
 * group membership, not the identity) before use. What is constant-time is stated per suite in
 * its implementation's Javadoc.
 *
 * <p>Thread-safety: groups are immutable and thread-safe; {@link io.jointly.group.GroupScalar} is
 * safe to share between threads of one run until destroyed.
 */
package io.jointly.group;
