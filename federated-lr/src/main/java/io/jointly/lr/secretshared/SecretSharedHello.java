package io.jointly.lr.secretshared;

import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.paillier.PaillierPublicKey;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * HELLO: version, role, rows, columns, the schedule, the sigmoid ({@link
 * SecretSharedLrParameters.Sigmoid}), whether the bank learns the per-epoch loss and the partner's
 * weights, and a fresh Paillier key, both ways; any difference aborts. The bank also states the
 * partner's index among its partners and their number. On success the session knows the peer's
 * key and column count, the sigmoid, the layout and the batches.
 */
final class SecretSharedHello {
  private SecretSharedHello() {}

  static void exchange(Session s) throws JointlyException {
    Bytes key = s.keys.publicKey().toBytes();
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + 4 + 4 + 4 + 4 + 4 + 8 * 3 + 8 + 1 + 1 + 1 + 1 + 4 + 4 + key.length());
    boolean bank = s.role == Role.BANK;
    // The bank states the partner's index and the number of partners; a partner sends zeros.
    b.putInt(SecretSharedLr.VERSION).put((byte) s.role.wireCode).putInt(bank ? s.index : 0).putInt(bank ? s.count : 0);
    b.putInt(s.n).putInt(s.pOwn).putInt(s.lr.batchSize()).putInt(s.lr.maxEpochs());
    b.putDouble(s.lr.learningRate()).putDouble(s.lr.learningRateDecay()).putDouble(s.lr.l2()).putLong(s.lr.seed());
    b.put((byte) (s.lr.intercept() ? 1 : 0)).put((byte) s.params.sigmoid().wireCode).put((byte) (s.params.epochLoss() ? 1 : 0));
    b.put((byte) (s.params.revealAllToBank() ? 1 : 0));
    b.putInt(s.keys.publicKey().modulusBits()).putInt(key.length()).put(key.toByteArray());
    s.tx.send(SecretSharedRound.HELLO.key(0), Bytes.wrap(b.array()));
    ByteBuffer r = ByteBuffer.wrap(s.tx.receive(SecretSharedRound.HELLO.key(0), s.timeout).toByteArray());
    try {
      Abort.unless(r.getInt() == SecretSharedLr.VERSION, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "protocol versions differ");
      byte peerRole = r.get();
      Abort.unlessWellFormed(peerRole == Role.BANK.wireCode || peerRole == Role.PARTNER.wireCode, "HELLO: unknown role");
      Abort.unless(peerRole != s.role.wireCode, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "both parties have the same role");
      int peerIndex = r.getInt();
      int peerCount = r.getInt();
      if (bank) {
        Abort.unlessWellFormed(peerIndex == 0 && peerCount == 0, "HELLO: a partner states an index");
      } else {
        Abort.unlessWellFormed(peerCount >= 1 && peerCount <= SecretSharedLr.MAX_PARTNERS && peerIndex >= 0 && peerIndex < peerCount, "HELLO: partner index out of range");
        s.index = peerIndex;
        s.count = peerCount;
      }
      Abort.unless(r.getInt() == s.n, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the parties have different numbers of rows");
      s.pPeer = r.getInt();
      // Only the bank's session with partner 0 carries the bank's block.
      int minPeer = !bank && s.index > 0 ? 0 : 1;
      int maxPeer = !bank && s.index > 0 ? 0 : 100_000;
      Abort.unlessWellFormed(s.pPeer >= minPeer && s.pPeer <= maxPeer, "HELLO: column count out of range");
      boolean same =
          r.getInt() == s.lr.batchSize()
              && r.getInt() == s.lr.maxEpochs()
              && r.getDouble() == s.lr.learningRate()
              && r.getDouble() == s.lr.learningRateDecay()
              && r.getDouble() == s.lr.l2()
              && r.getLong() == s.lr.seed()
              && r.get() == (s.lr.intercept() ? 1 : 0);
      Abort.unless(same, ProtocolAbortException.Reason.HANDSHAKE_MISMATCH, "the parties' training schedules differ");
      Abort.unless(
          r.get() == s.params.sigmoid().wireCode,
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "the parties' sigmoid approximations differ");
      Abort.unless(
          r.get() == (s.params.epochLoss() ? 1 : 0),
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "the parties disagree on opening the per-epoch loss to the bank");
      Abort.unless(
          r.get() == (s.params.revealAllToBank() ? 1 : 0),
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "the parties disagree on revealing the partner's weights to the bank");
      Abort.unless(
          r.getInt() == s.params.paillier().modulusBits(),
          ProtocolAbortException.Reason.HANDSHAKE_MISMATCH,
          "the parties' Paillier key sizes differ");
      int len = r.getInt();
      Abort.unlessWellFormed(len == r.remaining(), "HELLO: key length does not match");
      byte[] k = new byte[len];
      r.get(k);
      s.peerKey = PaillierPublicKey.fromBytes(Bytes.wrap(k), s.params.paillier());
    } catch (BufferUnderflowException e) {
      throw new ProtocolAbortException(ProtocolAbortException.Reason.MALFORMED_MESSAGE, "HELLO is truncated");
    }
    s.sigmoid = SharesSigmoid.of(s.params.sigmoid());
    if (s.params.epochLoss() && s.index == 0) {
      // Session 0 runs the sigmoid, and the loss with it (the bank set its scale in prepare()).
      s.loss = SharesLoss.of(s.sigmoid);
    }
    s.layout =
        SharesLayout.of(
            Math.min(s.lr.batchSize(), Math.max(1, s.n)), SharesLayout.etaBits(s.lr.learningRate()), s.params.paillier().modulusBits(), s.sigmoid);
    s.batches = SecretSharedLr.batches(s.lr.seed(), s.n, s.lr.batchSize());
  }
}
