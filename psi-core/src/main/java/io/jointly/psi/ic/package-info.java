/**
 * ECDH-PSI of the interconnection standard (隐私计算互联互通: CAICT PPCA 9—2023, and the BFIA/金科联盟
 * variant's algorithm body), so that a Jointly party can find the intersection with a partner that
 * runs SecretFlow or another conformant platform: {@link io.jointly.psi.ic.InterconnectionPsi} (the
 * party), {@link io.jointly.psi.ic.IcParameters}, {@link io.jointly.psi.ic.IcInput} (the exact bytes
 * that are hashed), {@link io.jointly.psi.ic.IcHandshake} (version 2 handshake: messages as values,
 * rank 0's decision, rank 1's check), {@link io.jointly.psi.ic.CipherBatch} and the {@link
 * io.jointly.psi.ic.IcLink} a transport provides. Protobuf-free: the {@code transport} module encodes
 * these values with the standard's {@code .proto} messages and speaks its white-box transport.
 *
 * <p>Security model (semi-honest): each party learns the other's set size and, if {@code
 * result_to_rank} names it (or is -1), which of its own rows are shared; see {@link
 * io.jointly.psi.ic.InterconnectionPsi} for the differences from Jointly's own ECDH PSI (no
 * transcript check, no count-only mode, the reference's 12-byte second stage). The suites and their
 * caveats are in {@link io.jointly.group.InterconnectionSuite}.
 *
 * <p>Thread-safety: parameters, inputs and results are immutable; a party runs one session per
 * {@code run} call and may be shared.
 */
package io.jointly.psi.ic;
