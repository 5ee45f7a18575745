/**
 * Implementation of the gRPC transport; not API. {@code StreamChannel} is one end of one
 * bidirectional stream (chunking, flow control, envelope checks, heartbeats and liveness); {@code
 * SessionRegistry} is the listening side's hello handling, lobby, session table and reconnects;
 * {@code Timers} the one shared timer thread; {@code ClientConnector} the connecting
 * side with its retries; {@code PartyTrustManager} and {@code TlsContexts} mutual TLS 1.3 with
 * party-name checks; {@code Pem} and {@code CertificateIdentities} the PKI plumbing; {@code
 * Failures} maps gRPC failures to Jointly's exceptions.
 *
 * <p>Security model: as described for {@code io.jointly.transport}; every check on what a peer
 * sends is made here, with {@link io.jointly.core.Abort}.
 *
 * <p>Thread-safety: {@code StreamChannel}, {@code SessionRegistry} and {@code PartyTrustManager} are
 * thread-safe; gRPC callbacks for one call are serialized by gRPC, and never wait for an
 * application thread.
 */
package io.jointly.transport.internal;
