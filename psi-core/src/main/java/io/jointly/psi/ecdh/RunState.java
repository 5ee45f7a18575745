package io.jointly.psi.ecdh;

import io.jointly.core.Bytes;
import io.jointly.psi.pipeline.internal.SealedFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an ECDH PSI run keeps in its (sealed) checkpoint to be resumed: the secret scalar, the run
 * id, both hellos as the run began, the session, the phase, and for every checkpoint boundary the
 * transcript chains and the positions of the work files. Keeping every boundary (a few hundred at
 * most) lets a party roll back to whichever boundary both parties reached.
 */
final class RunState {
  static final int VERSION = 1;

  /** Phases of a run. */
  enum Phase {
    /** Batches are being exchanged. */
    EXCHANGE(1),
    /** Both transcripts were confirmed; only local work is left (no peer needed). */
    CONFIRMED(2);

    final int code;

    Phase(int code) {
      this.code = code;
    }

    static Phase of(int code) throws IOException {
      for (Phase p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new IOException("unknown phase");
    }
  }

  /** The state at one checkpoint boundary. */
  record Boundary(
      long batches,
      Bytes sentChain,
      Bytes receivedChain,
      SealedFile.Position tOwn,
      SealedFile.Position tPeer,
      SealedFile.Position countOut) {}

  byte[] scalar;
  Bytes runId;
  Hello mine;
  Hello peer;
  String session;
  Phase phase = Phase.EXCHANGE;
  final List<Boundary> boundaries = new ArrayList<>();
  /** Once confirmed: plain lengths of the received-for-own values, the peer's values, count-in. */
  long tOwnBytes;
  long tPeerBytes;
  long countInBytes;

  Boundary latest() {
    return boundaries.get(boundaries.size() - 1);
  }

  /** The boundary at {@code batches}, or null. */
  Boundary at(long batches) {
    for (Boundary b : boundaries) {
      if (b.batches() == batches) {
        return b;
      }
    }
    return null;
  }

  /** Drops the boundaries after {@code batches}. */
  void rollBackTo(long batches) {
    boundaries.removeIf(b -> b.batches() > batches);
  }

  byte[] encode() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      write(out, scalar);
      write(out, runId.toByteArray());
      write(out, mine.encode().toByteArray());
      write(out, peer.encode().toByteArray());
      out.writeUTF(session);
      out.writeByte(phase.code);
      out.writeLong(tOwnBytes);
      out.writeLong(tPeerBytes);
      out.writeLong(countInBytes);
      out.writeInt(boundaries.size());
      for (Boundary b : boundaries) {
        out.writeLong(b.batches());
        write(out, b.sentChain().toByteArray());
        write(out, b.receivedChain().toByteArray());
        write(out, b.tOwn());
        write(out, b.tPeer());
        write(out, b.countOut());
      }
    }
    return bytes.toByteArray();
  }

  static RunState decode(byte[] state) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      if (in.readUnsignedByte() != VERSION) {
        throw new IOException("checkpoint state of another version");
      }
      RunState s = new RunState();
      s.scalar = read(in);
      s.runId = Bytes.wrap(read(in));
      try {
        s.mine = Hello.decode(Bytes.wrap(read(in)));
        s.peer = Hello.decode(Bytes.wrap(read(in)));
      } catch (io.jointly.core.ProtocolAbortException e) {
        throw new IOException("checkpoint holds an invalid handshake", e);
      }
      s.session = in.readUTF();
      s.phase = Phase.of(in.readUnsignedByte());
      s.tOwnBytes = in.readLong();
      s.tPeerBytes = in.readLong();
      s.countInBytes = in.readLong();
      int n = in.readInt();
      if (n < 1 || n > 1 << 20) {
        throw new IOException("bad boundary count");
      }
      for (int i = 0; i < n; i++) {
        s.boundaries.add(
            new Boundary(
                in.readLong(),
                Bytes.wrap(read(in)),
                Bytes.wrap(read(in)),
                readPosition(in),
                readPosition(in),
                readPosition(in)));
      }
      return s;
    }
  }

  /** Zeroes the scalar. */
  void destroy() {
    if (scalar != null) {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  private static void write(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static void write(DataOutputStream out, SealedFile.Position p) throws IOException {
    if (p == null) {
      out.writeLong(-1);
      return;
    }
    out.writeLong(p.physicalBytes());
    out.writeLong(p.blocks());
    out.writeLong(p.plainBytes());
  }

  private static byte[] read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("bad length");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static SealedFile.Position readPosition(DataInputStream in) throws IOException {
    long physical = in.readLong();
    if (physical < 0) {
      return null;
    }
    return new SealedFile.Position(physical, in.readLong(), in.readLong());
  }
}
