package io.jointly.psi.ecdh;

import io.jointly.psi.RevealMode;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiRole;
import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
import static io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.SuiteId;
import java.nio.ByteBuffer;

/**
 * The handshake message of ECDH PSI, sent by both parties before any item moves. Fixed 32-byte
 * layout, big-endian:
 *
 * <pre>
 *  0  4  magic "JPSI"
 *  4  2  protocol version
 *  6  1  role          7  1  suite        8  1  profile
 *  9  1  key columns  10  1  reveal mode 11  1  reserved (0)
 * 12  4  batch size
 * 16  8  set size (distinct items)
 * 24  8  minimum peer set size
 * </pre>
 */
record Hello(
    int version,
    PsiRole role,
    SuiteId suite,
    IdentifierProfile profile,
    int keyColumns,
    RevealMode revealMode,
    int batchSize,
    long setSize,
    long minPeerSetSize) {

  static final int VERSION = 1;
  static final int LENGTH = 32;
  private static final int MAGIC = 0x4A505349; // "JPSI"

  Bytes encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt(MAGIC)
        .putShort((short) version)
        .put((byte) role.wireCode())
        .put((byte) suite.wireCode())
        .put((byte) profile.wireCode())
        .put((byte) keyColumns)
        .put((byte) revealMode.wireCode())
        .put((byte) 0)
        .putInt(batchSize)
        .putLong(setSize)
        .putLong(minPeerSetSize);
    return Bytes.wrap(b.array());
  }

  /** Decodes and checks the layout; agreement with this party is checked by {@link #checkAgainst}. */
  static Hello decode(Bytes payload) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == LENGTH, "handshake has " + payload.length() + " bytes, expected " + LENGTH);
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    Abort.unlessWellFormed(b.getInt() == MAGIC, "handshake does not start with the ECDH PSI magic");
    int version = Short.toUnsignedInt(b.getShort());
    int role = b.get() & 0xFF;
    int suite = b.get() & 0xFF;
    int profile = b.get() & 0xFF;
    int keyColumns = b.get() & 0xFF;
    int reveal = b.get() & 0xFF;
    b.get();
    int batchSize = b.getInt();
    long setSize = b.getLong();
    long minPeer = b.getLong();
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "protocol version: this party " + VERSION + ", peer " + version);
    PsiRole r = PsiRole.fromWireCode(role);
    SuiteId s = SuiteId.fromWireCode(suite);
    IdentifierProfile p = IdentifierProfile.fromWireCode(profile);
    RevealMode m = RevealMode.fromWireCode(reveal);
    Abort.unless(r != null, HANDSHAKE_MISMATCH, "peer role code " + role + " is unknown");
    Abort.unless(s != null, HANDSHAKE_MISMATCH, "peer suite code " + suite + " is unknown");
    Abort.unless(p != null, HANDSHAKE_MISMATCH, "peer normalisation profile code " + profile + " is unknown");
    Abort.unless(m != null, HANDSHAKE_MISMATCH, "peer reveal mode code " + reveal + " is unknown");
    Abort.unlessWellFormed(
        batchSize >= 1 && batchSize <= EcdhPsiParameters.MAX_BATCH_SIZE,
        "peer batch size " + batchSize + " is outside 1.." + EcdhPsiParameters.MAX_BATCH_SIZE);
    Abort.unlessWellFormed(
        setSize >= 0 && setSize <= EcdhPsiParameters.MAX_SET_SIZE,
        "peer set size " + setSize + " is outside 0.." + EcdhPsiParameters.MAX_SET_SIZE);
    Abort.unlessWellFormed(minPeer >= 0, "peer minimum set size is negative");
    return new Hello(version, r, s, p, keyColumns, m, batchSize, setSize, minPeer);
  }

  /**
   * Checks that the peer's hello agrees with ours. Both parties run the same checks on the same two
   * messages, so both abort with the same reason.
   */
  void checkAgainst(Hello peer) throws ProtocolAbortException {
    Abort.unless(
        peer.role != role,
        HANDSHAKE_MISMATCH,
        "both parties are configured as " + role + "; one must be bank and the other partner");
    Abort.unless(peer.suite == suite, HANDSHAKE_MISMATCH, "suite: this party " + suite + ", peer " + peer.suite);
    Abort.unless(
        peer.profile == profile,
        HANDSHAKE_MISMATCH,
        "normalisation profile: this party " + profile.displayName() + ", peer " + peer.profile.displayName());
    Abort.unless(
        peer.keyColumns == keyColumns,
        HANDSHAKE_MISMATCH,
        "key columns: this party " + keyColumns + ", peer " + peer.keyColumns);
    Abort.unless(
        peer.revealMode == revealMode,
        HANDSHAKE_MISMATCH,
        "reveal mode: this party " + revealMode + ", peer " + peer.revealMode);
    Abort.unless(
        peer.setSize >= minPeerSetSize,
        POLICY_REFUSED,
        "the peer's set of " + peer.setSize + " items is below this party's minimum of " + minPeerSetSize);
    Abort.unless(
        setSize >= peer.minPeerSetSize,
        POLICY_REFUSED,
        "this party's set of " + setSize + " items is below the peer's minimum of " + peer.minPeerSetSize);
  }
}
