package io.jointly.transport.internal;

import io.jointly.transport.internal.proto.Frame;

/** Constants and sizes of the wire protocol ({@code transport.proto}). */
public final class Wire {
  /**
   * The protocol version every Hello and Envelope carries; a peer with another one is refused.
   * Version 2 added heartbeats and the hello's {@code max_silence_millis}.
   */
  public static final int PROTOCOL_VERSION = 2;

  /** gRPC's length-prefixed message framing: 1 byte compression flag, 4 bytes length. */
  public static final int GRPC_MESSAGE_PREFIX_BYTES = 5;

  /** The largest chunk a sender may put into one envelope. */
  public static final int MAX_CHUNK_BYTES = 4 << 20;

  /** The smallest chunk size a sender may be configured with. */
  public static final int MIN_CHUNK_BYTES = 1 << 10;

  /**
   * The largest gRPC message accepted: a maximal chunk plus generous room for the envelope's
   * header fields. Larger frames end the stream (a malformed message).
   */
  public static final int MAX_FRAME_BYTES = MAX_CHUNK_BYTES + (64 << 10);

  private Wire() {}

  /** The bytes a frame takes on the stream: its serialized size plus gRPC's message prefix. */
  public static long wireBytes(Frame frame) {
    return (long) frame.getSerializedSize() + GRPC_MESSAGE_PREFIX_BYTES;
  }
}
