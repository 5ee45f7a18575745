package io.jointly.psi.unbalanced;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.oprf.OprfSuite;
import io.jointly.psi.IdentifierProfile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's hello, first message of every OPRF session. Big-endian:
 *
 * <pre>
 *  0  4  magic "JOPR"       4  2  version
 *  6  1  mode               7  1  suite         8  1  profile       9  1  key columns
 * 10 16  key id of the client's cache          26 16  lineage of the cache
 * 42  8  cache version
 * 50  8  client set size (batch; 0 in membership mode)
 * 58  4  batch size       62  8  minimum server set size
 * 70  1  purpose length   71  n  purpose (ASCII)
 * </pre>
 */
record ClientHello(
    int version,
    Wire.Mode mode,
    OprfSuite suite,
    IdentifierProfile profile,
    int keyColumns,
    Bytes keyId,
    Bytes lineage,
    long cacheVersion,
    long setSize,
    int batchSize,
    long minServerSetSize,
    Purpose purpose) {

  static final int VERSION = 1;
  private static final int MAGIC = 0x4A4F5052; // "JOPR"
  private static final int FIXED = 71;

  Bytes encode() {
    byte[] p = purpose.name().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(FIXED + p.length);
    b.putInt(MAGIC)
        .putShort((short) version)
        .put((byte) mode.wireCode)
        .put((byte) suite.wireCode())
        .put((byte) profile.wireCode())
        .put((byte) keyColumns)
        .put(keyId.toByteArray())
        .put(lineage.toByteArray())
        .putLong(cacheVersion)
        .putLong(setSize)
        .putInt(batchSize)
        .putLong(minServerSetSize)
        .put((byte) p.length)
        .put(p);
    return Bytes.wrap(b.array());
  }

  /** Decodes and checks the layout; agreement is the server's business. */
  static ClientHello decode(Bytes payload) throws ProtocolAbortException {
    Abort.unlessWellFormed(
        payload.length() > FIXED && payload.length() <= FIXED + 32,
        "client hello has " + payload.length() + " bytes");
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    Abort.unlessWellFormed(b.getInt() == MAGIC, "client hello does not start with the OPRF magic");
    int version = Short.toUnsignedInt(b.getShort());
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "protocol version: server " + VERSION + ", client " + version);
    int modeCode = b.get() & 0xFF;
    int suiteCode = b.get() & 0xFF;
    int profileCode = b.get() & 0xFF;
    int keyColumns = b.get() & 0xFF;
    byte[] keyId = new byte[16];
    b.get(keyId);
    byte[] lineage = new byte[16];
    b.get(lineage);
    long cacheVersion = b.getLong();
    long setSize = b.getLong();
    int batchSize = b.getInt();
    long minServer = b.getLong();
    int plen = b.get() & 0xFF;
    Abort.unlessWellFormed(plen == b.remaining(), "client hello's purpose length disagrees with its size");
    byte[] p = new byte[plen];
    b.get(p);
    Wire.Mode mode = Wire.Mode.fromWireCode(modeCode);
    OprfSuite suite = OprfSuite.fromWireCode(suiteCode);
    IdentifierProfile profile = IdentifierProfile.fromWireCode(profileCode);
    Abort.unless(mode != null, HANDSHAKE_MISMATCH, "client session mode " + modeCode + " is unknown");
    Abort.unless(suite != null, HANDSHAKE_MISMATCH, "client OPRF suite " + suiteCode + " is unknown");
    Abort.unless(profile != null, HANDSHAKE_MISMATCH, "client normalisation profile " + profileCode + " is unknown");
    Abort.unlessWellFormed(
        cacheVersion >= 0 && setSize >= 0 && batchSize >= 1 && minServer >= 0, "client hello has negative sizes");
    Purpose purpose;
    try {
      purpose = Purpose.of(new String(p, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "client purpose is malformed");
    }
    return new ClientHello(
        version, mode, suite, profile, keyColumns, Bytes.wrap(keyId), Bytes.wrap(lineage), cacheVersion, setSize,
        batchSize, minServer, purpose);
  }
}
