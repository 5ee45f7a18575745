/**
 * Suite implementations behind {@link io.jointly.group.EcdhGroup}: field and curve arithmetic,
 * encodings, hash-to-group (RFC 9380, RFC 9496) and scalars. Not a public API; use {@link
 * io.jointly.group.EcdhGroups}.
 *
 * <p>Security model: code here handles secret scalars and hashed customer identifiers. Arithmetic
 * on them is written to be constant-time (no secret-dependent branches or memory indexes); each
 * class states what is and is not constant-time. Elements received from a peer are validated in
 * full (length, canonical encoding, group membership, not the identity) before use.
 *
 * <p>Thread-safety: the groups are immutable and stateless and may be shared by all threads;
 * mutable work areas (points, limb arrays) are confined to one call.
 */
package io.jointly.group.internal;
