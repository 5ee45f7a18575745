package io.jointly.secagg;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.secagg.internal.NeighbourGraph;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's public setup, broadcast by the server in {@link Round#SETUP} and identical for every
 * client: the roster (names sorted, so a client's index is its position), the graph, threshold and
 * agreed sizes. Its digest, with the session id, salts every key derivation of the run.
 */
record Setup(
    List<String> roster,
    int degree,
    int threshold,
    int fractionalBits,
    double maxAbs,
    int expectedClients,
    int minClients,
    int vectorLength,
    Bytes graphSeed,
    Bytes layoutDigest) {

  static final int VERSION = 1;

  Setup {
    roster = List.copyOf(roster);
  }

  int size() {
    return roster.size();
  }

  NeighbourGraph graph() {
    return NeighbourGraph.create(roster.size(), degree, graphSeed.toByteArray());
  }

  byte[] body() {
    Wire.Writer w = new Wire.Writer(64 + roster.size() * 16);
    w.u16(VERSION).u32(roster.size());
    for (String name : roster) {
      w.name(name);
    }
    w.u32(degree)
        .u32(threshold)
        .u8(fractionalBits)
        .u64(Double.doubleToLongBits(maxAbs))
        .u32(expectedClients)
        .u32(minClients)
        .u32(vectorLength)
        .bytes(graphSeed.toByteArray())
        .bytes(layoutDigest.toByteArray());
    return w.body();
  }

  static Setup read(Wire.Reader r) throws ProtocolAbortException {
    int version = r.u16();
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "setup version " + version + ", expected " + VERSION);
    int n = r.count(2, SecureAggregationParameters.MAX_CLIENTS, "roster size");
    List<String> roster = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = r.name();
      Abort.unlessWellFormed(
          i == 0 || roster.get(i - 1).compareTo(name) < 0, "setup roster is not sorted and distinct");
      roster.add(name);
    }
    int degree = r.count(1, n - 1, "degree");
    int threshold = r.count(1, degree + 1, "threshold");
    int f = r.u8();
    double maxAbs = Double.longBitsToDouble(r.u64());
    int expected = r.u32();
    int min = r.u32();
    int length = r.count(1, SecureAggregationParameters.MAX_VECTOR_LENGTH, "vector length");
    Bytes seed = Bytes.wrap(r.bytes(32));
    Bytes layout = Bytes.wrap(r.bytes(32));
    r.end();
    return new Setup(roster, degree, threshold, f, maxAbs, expected, min, length, seed, layout);
  }

  /** SHA-256 of a domain label, the session id and the setup body: the run's salt. */
  byte[] runDigest(String sessionId) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("jointly secagg v1 run".getBytes(StandardCharsets.US_ASCII));
      byte[] s = sessionId.getBytes(StandardCharsets.UTF_8);
      md.update(new byte[] {(byte) (s.length >>> 8), (byte) s.length});
      md.update(s);
      md.update(body());
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
