/**
 * psi-core's {@link io.jointly.channel.MessageChannel} over gRPC (grpc-java on Netty), so that every
 * Jointly protocol runs between two processes, across organisations and firewalls.
 *
 * <p>Entry points: {@link io.jointly.transport.GrpcTransport#listen} starts the listening side (a
 * {@link io.jointly.transport.TransportServer} that serves any number of sessions from the peers it
 * names), {@link io.jointly.transport.GrpcTransport#connect} opens a {@link
 * io.jointly.transport.TransportChannel} to a listening peer; either protocol party may listen.
 * {@link io.jointly.transport.LoopbackTransport} builds a connected pair in one JVM for benchmarks
 * and tests. Credentials come from a {@link io.jointly.transport.ThrowawayCa} (trials) or from the
 * deployment's own PEM files ({@link io.jointly.transport.PartyCredentials#fromPem}).
 *
 * <h2>Security model</h2>
 *
 * <ul>
 *   <li>Mutual TLS 1.3 only. Each party presents a certificate chained to the configured trust
 *       root; each checks, inside the TLS handshake, that the other's certificate names the party
 *       it expects (subject CN or SAN {@code dNSName}). A peer certified by another CA, or by the
 *       right CA under another name, is refused before it can send a single frame. Host names
 *       play no part in authentication.
 *   <li>Session binding. The connecting party's hello names the session, itself and the listening
 *       party; the listening party accepts it only for a session it expects from exactly that
 *       party, only if the hello's sender is the name in the TLS certificate, and only once
 *       (sessions are single-use; the same party may replace its own connection before any
 *       envelope moved, when its first attempt failed on its side). Every envelope repeats session, sender, receiver and protocol
 *       version and carries a per-direction frame number; a frame of another session, between other
 *       parties, replayed, skipped or of another version poisons the channel ({@link
 *       io.jointly.core.ProtocolAbortException}). A round key seen twice is a replay, as for every
 *       channel.
 *   <li>Plaintext only when asked for by name ({@link
 *       io.jointly.transport.TransportSecurity#insecurePlaintext}), and only on loopback addresses
 *       or in-process; anything else is refused with an {@link IllegalArgumentException} before a
 *       socket is opened.
 *   <li>Bounded resources: messages above the maximum size are refused from their first chunk;
 *       inbound buffering is bounded in messages and bytes, outbound waits for gRPC readiness.
 *   <li>Liveness: a time-out bounds a peer's silence, not its work. Each side announces in its
 *       hello how soon it wants a sign of life ({@link
 *       io.jointly.transport.TransportOptions#peerTimeout()}); the other sends heartbeats from a
 *       timer whenever its outbound direction is idle, whatever its protocol thread is doing. A
 *       busy peer is waited for however long it works; a dead, stopped or unreachable one is
 *       noticed within the time-out (at once if its connection drops; keep-alive is the backstop);
 *       two parties waiting for each other both time out. Heartbeats are not messages and do not
 *       take part in the frame numbering or the transcripts.
 *   <li>gRPC {@code Status} and gRPC, Netty and protobuf types never leave this module: failures
 *       are {@link io.jointly.core.ChannelException} or {@link
 *       io.jointly.core.ProtocolAbortException}. Logs and error messages name sessions, parties,
 *       round keys and sizes, never payloads or keys.
 * </ul>
 *
 * <p>What TLS does not give: protection against a party that is itself dishonest (the protocols
 * state their own model) or against a compromised CA or private key; with a {@link
 * io.jointly.transport.ThrowawayCa}, whoever holds its files can impersonate any party it issued
 * for.
 *
 * <p>Thread-safety: servers, channels and credentials are thread-safe; a channel may be used by one
 * sending and one receiving thread at once. Option and endpoint types are immutable.
 */
package io.jointly.transport;
