/**
 * Implementation of the compliance package: the canonical binary codec that receipts are signed
 * in, the payloads of the agreement's rounds, certificate parsing and validation (Bouncy Castle,
 * so SM2 certificates work too) and the signature algorithm a certificate key implies.
 *
 * <p>Security model: the reader bounds every length by what is left of the message and a maximum
 * before it allocates; decoding refuses anything but the one canonical encoding.
 *
 * <p>Thread-safety: stateless helpers, except {@code Codec}'s reader and writer (one thread each).
 */
package io.jointly.compliance.internal;
