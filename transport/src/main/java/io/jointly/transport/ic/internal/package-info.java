/**
 * Implementation of the interconnection transport: keys ({@link
 * io.jointly.transport.ic.internal.IcKeys}), the protobuf codec ({@link
 * io.jointly.transport.ic.internal.IcCodec}), the mailbox of received messages, the {@code
 * ReceiverService} ({@link io.jointly.transport.ic.internal.Receiver}) and the server that takes it
 * in gRPC and in brpc's baidu_std on one port ({@link io.jointly.transport.ic.internal.IcServer},
 * {@link io.jointly.transport.ic.internal.BaiduStd}), and the pushing client ({@link
 * io.jointly.transport.ic.internal.Pusher}, gRPC). Generated protobuf classes are in {@code
 * .proto}. Not an API: everything here may change.
 *
 * <p>Security model: with mutual TLS every connection, in either protocol, is from the peer named
 * in its certificate; with plaintext the port is on loopback. Nothing received is trusted: frame
 * sizes are checked on the header before a body is buffered, and a malformed push fails the
 * session. The in-JVM gRPC server behind the relay has no socket.
 *
 * <p>Thread-safety: the mailbox, receiver and pusher are thread-safe; the codec is stateless; the
 * server's connection handlers each run on their connection's event loop.
 */
package io.jointly.transport.ic.internal;
