/**
 * Message and stub classes generated at build time from {@code
 * src/main/protobuf/jointly/transport/v1/transport.proto} (never committed): the {@code Frame},
 * {@code Hello} and {@code Envelope} messages and the {@code JointlyTransport} service with its one
 * bidirectional streaming RPC, {@code Exchange}.
 *
 * <p>Security model: these are plain data holders; nothing received is trusted until {@code
 * StreamChannel} and {@code SessionRegistry} have checked it.
 *
 * <p>Thread-safety: messages are immutable; builders are not thread-safe.
 */
package io.jointly.transport.internal.proto;
