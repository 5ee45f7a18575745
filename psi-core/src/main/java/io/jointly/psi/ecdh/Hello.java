package io.jointly.psi.ecdh;

import static io.jointly.core.ProtocolAbortException.Reason.HANDSHAKE_MISMATCH;
import static io.jointly.core.ProtocolAbortException.Reason.POLICY_REFUSED;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.SuiteId;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The handshake message of ECDH PSI, sent by both parties before any item moves. Fixed 64-byte
 * layout, big-endian:
 *
 * <pre>
 *  0  4  magic "JPSI"
 *  4  2  protocol version (2)
 *  6  1  role          7  1  suite        8  1  profile
 *  9  1  key columns  10  1  reveal mode 11  1  flags (bit 0: resuming an interrupted run)
 * 12  4  batch size
 * 16  8  set size (distinct items)
 * 24  8  minimum peer set size
 * 32 16  a fresh random nonce (new run) or the run id (resuming)
 * 48  8  resuming: the batches this party has checkpointed; else 0
 * 56  8  reserved (0)
 * </pre>
 *
 * A new run's id is {@code SHA-256("jointly ecdh-psi run" || bank nonce || partner nonce)}, first
 * 16 bytes; a resumed run presents it, so both parties can tell that they resume the same run.
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
    long minPeerSetSize,
    boolean resuming,
    Bytes nonce,
    long checkpointed) {

  static final int VERSION = 2;
  static final int LENGTH = 64;
  static final int NONCE_BYTES = 16;
  private static final int MAGIC = 0x4A505349; // "JPSI"

  /** A hello for a new run (nonce fresh, nothing checkpointed). */
  Hello(
      int version,
      PsiRole role,
      SuiteId suite,
      IdentifierProfile profile,
      int keyColumns,
      RevealMode revealMode,
      int batchSize,
      long setSize,
      long minPeerSetSize) {
    this(version, role, suite, profile, keyColumns, revealMode, batchSize, setSize, minPeerSetSize, false,
        Bytes.wrap(new byte[NONCE_BYTES]), 0);
  }

  Hello {
    if (nonce.length() != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce must be 16 bytes");
    }
  }

  Hello withNonce(Bytes n) {
    return new Hello(version, role, suite, profile, keyColumns, revealMode, batchSize, setSize, minPeerSetSize, false, n, 0);
  }

  Hello resuming(Bytes runId, long point) {
    return new Hello(version, role, suite, profile, keyColumns, revealMode, batchSize, setSize, minPeerSetSize, true, runId, point);
  }

  Bytes encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt(MAGIC)
        .putShort((short) version)
        .put((byte) role.wireCode())
        .put((byte) suite.wireCode())
        .put((byte) profile.wireCode())
        .put((byte) keyColumns)
        .put((byte) revealMode.wireCode())
        .put((byte) (resuming ? 1 : 0))
        .putInt(batchSize)
        .putLong(setSize)
        .putLong(minPeerSetSize)
        .put(nonce.toByteArray())
        .putLong(checkpointed)
        .putLong(0);
    return Bytes.wrap(b.array());
  }

  /** Decodes and checks the layout; agreement with this party is checked by {@link #checkAgainst}. */
  static Hello decode(Bytes payload) throws ProtocolAbortException {
    Abort.unlessWellFormed(payload.length() >= 6, "handshake has " + payload.length() + " bytes, expected " + LENGTH);
    ByteBuffer b = ByteBuffer.wrap(payload.toByteArray());
    Abort.unlessWellFormed(b.getInt() == MAGIC, "handshake does not start with the ECDH PSI magic");
    int version = Short.toUnsignedInt(b.getShort());
    Abort.unless(version == VERSION, HANDSHAKE_MISMATCH, "protocol version: this party " + VERSION + ", peer " + version);
    Abort.unlessWellFormed(payload.length() == LENGTH, "handshake has " + payload.length() + " bytes, expected " + LENGTH);
    int role = b.get() & 0xFF;
    int suite = b.get() & 0xFF;
    int profile = b.get() & 0xFF;
    int keyColumns = b.get() & 0xFF;
    int reveal = b.get() & 0xFF;
    int flags = b.get() & 0xFF;
    int batchSize = b.getInt();
    long setSize = b.getLong();
    long minPeer = b.getLong();
    byte[] nonce = new byte[NONCE_BYTES];
    b.get(nonce);
    long checkpointed = b.getLong();
    long reserved = b.getLong();
    PsiRole r = PsiRole.fromWireCode(role);
    SuiteId s = SuiteId.fromWireCode(suite);
    IdentifierProfile p = IdentifierProfile.fromWireCode(profile);
    RevealMode m = RevealMode.fromWireCode(reveal);
    Abort.unless(r != null, HANDSHAKE_MISMATCH, "peer role code " + role + " is unknown");
    Abort.unless(s != null, HANDSHAKE_MISMATCH, "peer suite code " + suite + " is unknown");
    Abort.unless(p != null, HANDSHAKE_MISMATCH, "peer normalisation profile code " + profile + " is unknown");
    Abort.unless(m != null, HANDSHAKE_MISMATCH, "peer reveal mode code " + reveal + " is unknown");
    Abort.unlessWellFormed((flags & ~1) == 0 && reserved == 0, "handshake has unknown flags set");
    Abort.unlessWellFormed(
        batchSize >= 1 && batchSize <= EcdhPsiParameters.MAX_BATCH_SIZE,
        "peer batch size " + batchSize + " is outside 1.." + EcdhPsiParameters.MAX_BATCH_SIZE);
    Abort.unlessWellFormed(
        setSize >= 0 && setSize <= EcdhPsiParameters.MAX_SET_SIZE,
        "peer set size " + setSize + " is outside 0.." + EcdhPsiParameters.MAX_SET_SIZE);
    Abort.unlessWellFormed(minPeer >= 0, "peer minimum set size is negative");
    Abort.unlessWellFormed(checkpointed >= 0 && (flags & 1) != 0 || checkpointed == 0, "peer resume point is invalid");
    return new Hello(version, r, s, p, keyColumns, m, batchSize, setSize, minPeer, (flags & 1) != 0, Bytes.wrap(nonce), checkpointed);
  }

  /**
   * Checks that the peer's hello of a new run agrees with ours. Both parties run the same checks on
   * the same two messages, so both abort with the same reason.
   */
  void checkAgainst(Hello peer) throws ProtocolAbortException {
    Abort.unless(
        !peer.resuming,
        HANDSHAKE_MISMATCH,
        "the peer resumes an interrupted run and this party starts a new one: restart this party with"
            + " --resume too, or start both parties afresh (without --resume, after deleting the peer's checkpoint)");
    checkParameters(peer);
    Abort.unless(
        peer.setSize >= minPeerSetSize,
        POLICY_REFUSED,
        "the peer's set of " + peer.setSize + " items is below this party's minimum of " + minPeerSetSize);
    Abort.unless(
        setSize >= peer.minPeerSetSize,
        POLICY_REFUSED,
        "this party's set of " + setSize + " items is below the peer's minimum of " + peer.minPeerSetSize);
  }

  private void checkParameters(Hello peer) throws ProtocolAbortException {
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
  }

  /**
   * Checks a resumed run's handshake: the peer resumes too, the same run, with the hello it sent
   * when the run began ({@code peerThen}, from this party's checkpoint).
   */
  void checkResume(Hello peer, Hello peerThen) throws ProtocolAbortException {
    Abort.unless(
        peer.resuming,
        HANDSHAKE_MISMATCH,
        "this party resumes an interrupted run and the peer starts a new one: restart the peer with --resume"
            + " too (its checkpoint must still be there), or start both parties afresh without --resume");
    checkParameters(peer);
    Abort.unless(
        peer.nonce.equals(nonce),
        HANDSHAKE_MISMATCH,
        "the peer resumes another run than this party (their checkpoints are of different runs)");
    Abort.unless(
        peer.batchSize == peerThen.batchSize
            && peer.setSize == peerThen.setSize
            && peer.minPeerSetSize == peerThen.minPeerSetSize,
        HANDSHAKE_MISMATCH,
        "the peer resumes with other sizes than the run began with");
  }

  /** The same hello without the resume fields, for comparing with the one a run began with. */
  boolean sameRun(Hello other) {
    return role == other.role
        && suite == other.suite
        && profile == other.profile
        && keyColumns == other.keyColumns
        && revealMode == other.revealMode
        && batchSize == other.batchSize
        && setSize == other.setSize
        && minPeerSetSize == other.minPeerSetSize;
  }

  /** The run id from both parties' nonces. */
  static Bytes runId(Bytes bankNonce, Bytes partnerNonce) {
    java.security.MessageDigest d = Transcript.sha256();
    d.update("jointly ecdh-psi run".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    d.update(bankNonce.toByteArray());
    d.update(partnerNonce.toByteArray());
    return Bytes.wrap(Arrays.copyOf(d.digest(), NONCE_BYTES));
  }
}
