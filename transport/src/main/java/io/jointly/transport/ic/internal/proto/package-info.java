/**
 * Message and stub classes generated at build time from the interconnection standard's {@code
 * .proto} files under {@code src/main/protobuf/interconnection} (never committed): {@code
 * HandshakeRequest}/{@code HandshakeResponse} and their parameters, {@code EcdhPsiCipherBatch},
 * {@code PushRequest}/{@code PushResponse} and the {@code ReceiverService} stub.
 *
 * <p>Security model: plain data holders; nothing received is trusted until the codec, the receiver
 * and the protocol have checked it.
 *
 * <p>Thread-safety: messages are immutable; builders are not thread-safe.
 */
package io.jointly.transport.ic.internal.proto;
