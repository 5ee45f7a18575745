package io.jointly.psi.vole;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
import static io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.vole.VoleParameters;
import java.nio.ByteBuffer;

/**
 * The handshake message of VOLE PSI, sent by both parties before anything else. Fixed 44-byte
 * layout, big-endian:
 *
 * <pre>
 *  0  4  magic "JVOL"
 *  4  2  protocol version
 *  6  1  role           7  1  profile        8  1  key columns
 *  9  1  reveal mode   10  1  λ             11  1  log2 of the OKVS bin items
 * 12  2  VOLE expansion                     14  2  VOLE expander weight
 * 16  4  VOLE noise weight t
 * 20  4  VOLE minimum outputs per chunk
 * 24  4  VOLE maximum outputs per chunk
 * 28  8  set size (distinct items)
 * 36  8  minimum peer set size
 * </pre>
 */
record VoleHello(
    int version,
    PsiRole role,
    IdentifierProfile profile,
    int keyColumns,
    RevealMode revealMode,
    int lambda,
    int okvsBinItems,
    VoleParameters vole,
    long setSize,
    long minPeerSetSize) {

  static final int VERSION = 1;
  static final int LENGTH = 44;
  private static final int MAGIC = 0x4A564F4C; // "JVOL"
  private static final int ECDH_MAGIC = 0x4A505349; // "JPSI"

  Bytes encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt(MAGIC)
        .putShort((short) version)
        .put((byte) role.wireCode())
        .put((byte) profile.wireCode())
        .put((byte) keyColumns)
        .put((byte) revealMode.wireCode())
        .put((byte) lambda)
        .put((byte) Integer.numberOfTrailingZeros(okvsBinItems))
        .putShort((short) vole.expansion())
        .putShort((short) vole.expanderWeight())
        .putInt(vole.noiseWeight())
        .putInt(vole.minimumOutputs())
        .putInt(vole.maximumOutputs())
        .putLong(setSize)
        .putLong(minPeerSetSize);
    return Bytes.wrap(b.array());
  }

  /** Decodes and checks the layout; agreement with this party is checked by {@link #checkAgainst}. */
  static VoleHello decode(Bytes payload) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() == LENGTH, "handshake has " + payload.length() + " bytes, expected " + LENGTH);
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    int magic = b.getInt();
    Abort.unless(magic != ECDH_MAGIC, HANDSHAKE_MISMATCH, "protocol: this party vole, peer ecdh");
    Abort.unlessWellFormed(magic == MAGIC, "handshake does not start with the VOLE PSI magic");
    int version = Short.toUnsignedInt(b.getShort());
    int role = b.get() & 0xFF;
    int profile = b.get() & 0xFF;
    int keyColumns = b.get() & 0xFF;
    int reveal = b.get() & 0xFF;
    int lambda = b.get() & 0xFF;
    int binLog = b.get() & 0xFF;
    int expansion = Short.toUnsignedInt(b.getShort());
    int weight = Short.toUnsignedInt(b.getShort());
    int noise = b.getInt();
    int minOutputs = b.getInt();
    int maxOutputs = b.getInt();
    long setSize = b.getLong();
    long minPeer = b.getLong();
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "protocol version: this party " + VERSION + ", peer " + version);
    PsiRole r = PsiRole.fromWireCode(role);
    IdentifierProfile p = IdentifierProfile.fromWireCode(profile);
    RevealMode m = RevealMode.fromWireCode(reveal);
    Abort.unless(r != null, HANDSHAKE_MISMATCH, "peer role code " + role + " is unknown");
    Abort.unless(p != null, HANDSHAKE_MISMATCH, "peer normalisation profile code " + profile + " is unknown");
    Abort.unless(m != null, HANDSHAKE_MISMATCH, "peer reveal mode code " + reveal + " is unknown");
    Abort.unlessWellFormed(
        expansion >= 2 && expansion <= 16 && weight >= 1 && weight <= 64 && noise >= 1 && noise <= 1 << 16 && minOutputs >= 1 && minOutputs <= maxOutputs && maxOutputs <= 1 << 24,
        "peer VOLE parameters are out of range");
    Abort.unlessWellFormed(binLog >= 10 && binLog <= 20, "peer OKVS bin size is out of range");
    Abort.unlessWellFormed(
        setSize >= 0 && setSize <= VolePsiParameters.MAX_SET_SIZE,
        "peer set size " + setSize + " is outside 0.." + VolePsiParameters.MAX_SET_SIZE);
    Abort.unlessWellFormed(minPeer >= 0, "peer minimum set size is negative");
    return new VoleHello(version, r, p, keyColumns, m, lambda, 1 << binLog, new VoleParameters(expansion, weight, noise, minOutputs, maxOutputs), setSize, minPeer);
  }

  /**
   * Checks that the peer's hello agrees with ours. Both parties run the same checks on the same two
   * messages, so both abort with the same reason.
   */
  void checkAgainst(VoleHello peer) throws ProtocolAbortException {
    Abort.unless(
        peer.role != role,
        HANDSHAKE_MISMATCH,
        "both parties are configured as " + role + "; one must be bank and the other partner");
    Abort.unless(
        peer.profile == profile,
        HANDSHAKE_MISMATCH,
        "normalisation profile: this party " + profile.displayName() + ", peer " + peer.profile.displayName());
    Abort.unless(
        peer.keyColumns == keyColumns, HANDSHAKE_MISMATCH, "key columns: this party " + keyColumns + ", peer " + peer.keyColumns);
    Abort.unless(
        peer.revealMode == revealMode, HANDSHAKE_MISMATCH, "reveal mode: this party " + revealMode + ", peer " + peer.revealMode);
    Abort.unless(peer.lambda == lambda, HANDSHAKE_MISMATCH, "statistical security: this party " + lambda + ", peer " + peer.lambda);
    Abort.unless(
        peer.okvsBinItems == okvsBinItems,
        HANDSHAKE_MISMATCH,
        "OKVS bin items: this party " + okvsBinItems + ", peer " + peer.okvsBinItems);
    Abort.unless(peer.vole.equals(vole), HANDSHAKE_MISMATCH, "VOLE parameters: this party " + vole + ", peer " + peer.vole);
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
