package io.jointly.secagg;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;

/**
 * A client's {@link Round#HELLO}: its parameters (for the client counts: the most clients its
 * overflow bound allows and the fewest it accepts), vector length and layout (the public description
 * of what each position of the vector means, e.g. the CLI's keys and column names). The server
 * checks every hello against its own parameters and all hellos against each other.
 */
record Hello(
    int version,
    int fractionalBits,
    double maxAbs,
    int expectedClients,
    int minClients,
    int graphKind,
    int graphDegree,
    int vectorLength,
    Bytes layout) {

  static final int VERSION = 1;
  static final int MAGIC = 0x4A534147; // "JSAG"

  /** Largest layout description: 16 MiB. */
  static final int MAX_LAYOUT_BYTES = 16 << 20;

  static Hello of(SecureAggregationParameters p, int vectorLength, Bytes layout) {
    return new Hello(
        VERSION,
        p.fixedPoint().fractionalBits(),
        p.maxAbs(),
        p.expectedClients(),
        p.minClients(),
        p.graph().kind().wireCode(),
        p.graph().degree(),
        vectorLength,
        layout);
  }

  byte[] body() {
    return new Wire.Writer(40 + layout.length())
        .u32(MAGIC)
        .u16(version)
        .u8(fractionalBits)
        .u64(Double.doubleToLongBits(maxAbs))
        .u32(expectedClients)
        .u32(minClients)
        .u8(graphKind)
        .u32(graphDegree)
        .u32(vectorLength)
        .blob(layout.toByteArray())
        .body();
  }

  static Hello read(Wire.Reader r) throws ProtocolAbortException {
    Abort.unlessWellFormed(r.u32() == MAGIC, "hello does not start with the secure-aggregation magic");
    int version = r.u16();
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "protocol version: server " + VERSION + ", client " + version);
    int f = r.u8();
    double maxAbs = Double.longBitsToDouble(r.u64());
    int expected = r.u32();
    int min = r.u32();
    int kind = r.u8();
    int degree = r.u32();
    int length = r.count(1, SecureAggregationParameters.MAX_VECTOR_LENGTH, "vector length");
    Bytes layout = Bytes.wrap(r.blob(MAX_LAYOUT_BYTES));
    r.end();
    return new Hello(version, f, maxAbs, expected, min, kind, degree, length, layout);
  }

  /** Checks that this hello agrees with the server's parameters. */
  void checkAgainst(SecureAggregationParameters p, String client) throws ProtocolAbortException {
    Hello mine = of(p, vectorLength, layout);
    Abort.unless(
        fractionalBits == mine.fractionalBits,
        HANDSHAKE_MISMATCH,
        client + ": fractional bits " + fractionalBits + ", server " + mine.fractionalBits);
    Abort.unless(
        Double.compare(maxAbs, mine.maxAbs) == 0,
        HANDSHAKE_MISMATCH,
        client + ": maxAbs " + maxAbs + ", server " + mine.maxAbs);
    Abort.unless(
        mine.expectedClients <= expectedClients,
        HANDSHAKE_MISMATCH,
        client + ": accepts at most " + expectedClients + " clients, the server expects " + mine.expectedClients);
    Abort.unless(
        mine.minClients >= minClients,
        ProtocolAbortException.Reason.POLICY_REFUSED,
        client + ": requires at least " + minClients + " clients, the server's minimum is " + mine.minClients);
    Abort.unless(
        graphKind == mine.graphKind && graphDegree == mine.graphDegree,
        HANDSHAKE_MISMATCH,
        client + ": graph setting differs from the server's");
    Abort.unless(
        vectorLength <= p.maxVectorLength(),
        ProtocolAbortException.Reason.POLICY_REFUSED,
        client + ": vector length " + vectorLength + " exceeds the server's limit " + p.maxVectorLength());
  }
}
