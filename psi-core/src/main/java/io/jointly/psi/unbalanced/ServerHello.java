package io.jointly.psi.unbalanced;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import java.nio.ByteBuffer;

/**
 * The server's answer to a client hello: whether it serves the session ({@link Wire.Status}), what
 * its current cache is, its limits, and the client's budget for the purpose. Fixed 114 bytes,
 * big-endian:
 *
 * <pre>
 *  0  4  magic "JOPS"    4  2  version    6 1 mode    7 1 status
 *  8  1  suite           9  1  profile   10 1 key columns   11 1 reserved (0)
 * 12 16  key id         28 16  lineage   44 8 cache version  52 8 server set size
 * 60  8  minimum client set size         68 4 maximum batch size
 * 72  8  budget limit   80  8  budget used   88 8 budget resets at (epoch seconds)
 * 96  4  idle time-out (seconds)        100 4 queries per session   104 8 maximum client set size
 * 112 2  reserved (0)
 * </pre>
 */
record ServerHello(
    int version,
    Wire.Mode mode,
    Wire.Status status,
    OprfSuite suite,
    IdentifierProfile profile,
    int keyColumns,
    Bytes keyId,
    Bytes lineage,
    long cacheVersion,
    long serverSetSize,
    long minClientSetSize,
    int maxBatchSize,
    long budgetLimit,
    long budgetUsed,
    long resetsAt,
    int idleSeconds,
    int queriesPerSession,
    long maxClientSetSize) {

  static final int LENGTH = 114;
  private static final int MAGIC = 0x4A4F5053; // "JOPS"

  Bytes encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt(MAGIC)
        .putShort((short) version)
        .put((byte) mode.wireCode)
        .put((byte) status.wireCode)
        .put((byte) suite.wireCode())
        .put((byte) profile.wireCode())
        .put((byte) keyColumns)
        .put((byte) 0)
        .put(keyId.toByteArray())
        .put(lineage.toByteArray())
        .putLong(cacheVersion)
        .putLong(serverSetSize)
        .putLong(minClientSetSize)
        .putInt(maxBatchSize)
        .putLong(budgetLimit)
        .putLong(budgetUsed)
        .putLong(resetsAt)
        .putInt(idleSeconds)
        .putInt(queriesPerSession)
        .putLong(maxClientSetSize)
        .putShort((short) 0);
    return Bytes.wrap(b.array());
  }

  static ServerHello decode(Bytes payload) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == LENGTH, "server hello has " + payload.length() + " bytes, expected " + LENGTH);
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    Abort.unlessWellFormed(b.getInt() == MAGIC, "server hello does not start with the OPRF magic");
    int version = Short.toUnsignedInt(b.getShort());
    Abort.unless(
        version == ClientHello.VERSION,
        ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
        "protocol version: client " + ClientHello.VERSION + ", server " + version);
    Wire.Mode mode = Wire.Mode.fromWireCode(b.get() & 0xFF);
    Wire.Status status = Wire.Status.fromWireCode(b.get() & 0xFF);
    OprfSuite suite = OprfSuite.fromWireCode(b.get() & 0xFF);
    IdentifierProfile profile = IdentifierProfile.fromWireCode(b.get() & 0xFF);
    int keyColumns = b.get() & 0xFF;
    b.get();
    Abort.unlessWellFormed(
        mode != null && status != null && suite != null && profile != null,
        "server hello names an unknown mode, status, suite or profile");
    byte[] keyId = new byte[16];
    b.get(keyId);
    byte[] lineage = new byte[16];
    b.get(lineage);
    long version2 = b.getLong();
    long setSize = b.getLong();
    long minClient = b.getLong();
    int maxBatch = b.getInt();
    long limit = b.getLong();
    long used = b.getLong();
    long resets = b.getLong();
    int idle = b.getInt();
    int perSession = b.getInt();
    long maxClient = b.getLong();
    Abort.unlessWellFormed(
        version2 >= 0 && setSize >= 0 && minClient >= 0 && maxBatch >= 1 && limit >= 0 && used >= 0 && idle >= 1
            && perSession >= 1 && maxClient >= 0,
        "server hello has out-of-range sizes");
    return new ServerHello(
        version, mode, status, suite, profile, keyColumns, Bytes.wrap(keyId), Bytes.wrap(lineage), version2, setSize,
        minClient, maxBatch, limit, used, resets, idle, perSession, maxClient);
  }
}
