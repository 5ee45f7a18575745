/**
 * Implementation of the interconnection transport: keys ({@link
 * io.jointly.transport.ic.internal.IcKeys}), the protobuf codec ({@link
 * io.jointly.transport.ic.internal.IcCodec}), the mailbox of received messages, the gRPC {@code
 * ReceiverService} ({@link io.jointly.transport.ic.internal.Receiver}) and the pushing client
 * ({@link io.jointly.transport.ic.internal.Pusher}). Generated protobuf classes are in {@code
 * .proto}. Not an API: everything here may change.
 *
 * <p>Thread-safety: the mailbox, receiver and pusher are thread-safe; the codec is stateless.
 */
package io.jointly.transport.ic.internal;
