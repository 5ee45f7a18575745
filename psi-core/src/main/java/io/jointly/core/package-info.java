/**
 * Values and errors shared by every Jointly protocol: the sealed {@link
 * io.jointly.core.JointlyException} hierarchy, the immutable {@link io.jointly.core.Bytes} value
 * type, and {@link io.jointly.core.SecretBytes} with its {@link io.jointly.core.SecretAccess}
 * token.
 *
 * <p>Security model: nothing here is a protocol; the types make the rules enforceable — payloads
 * print only their length, secrets print redacted, compare in constant time and leave their holder
 * only with an access token, and exception messages carry rounds, sizes and parameters but never
 * data values.
 *
 * <p>Thread-safety: {@code Bytes} and the exceptions are immutable; {@code SecretBytes} is safe to
 * read from several threads until {@link io.jointly.core.SecretBytes#destroy()} is called.
 */
package io.jointly.core;
