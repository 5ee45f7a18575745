/**
 * The interconnection standard's white-box transport (隐私计算互联互通, CAICT variant; spec {@code
 * interconnection-ecdh-psi.md} §3): {@link io.jointly.transport.ic.IcTransport} starts this party's
 * {@code org.interconnection.link.ReceiverService} (in gRPC and in brpc's baidu_std, on one port)
 * and runs the connect phase, {@link
 * io.jointly.transport.ic.IcSession} is psi-core's {@link io.jointly.psi.ic.IcLink} over it (the
 * standard's protobuf messages under the standard's keys, with the SecretFlow reference's
 * sequence suffix, ACKs and FIN), {@link io.jointly.transport.ic.IcTransportOptions} its limits.
 * The standard's {@code .proto} files are under {@code src/main/protobuf/interconnection}.
 *
 * <p>Security model: with mutual TLS 1.3 each side accepts only the peer named in its certificate,
 * as Jointly's own transport does, whichever RPC protocol it speaks; plaintext only on loopback. The transport trusts nothing it
 * receives: sender rank, key, chunk bounds, control values and message sizes are checked, a
 * malformed push is refused with the standard's error code and fails the session. What each party
 * learns is the protocol's business ({@link io.jointly.psi.ic.InterconnectionPsi}).
 *
 * <p>Thread-safety: a session may send on two stages and receive on two stages at once, as the
 * ECDH-PSI party does.
 */
package io.jointly.transport.ic;
