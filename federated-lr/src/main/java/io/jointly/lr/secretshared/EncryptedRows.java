package io.jointly.lr.secretshared;

import io.jointly.core.InputException;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.paillier.Ciphertext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * ROWS, once: each party sends its features encrypted under its own key, per row and group of
 * {@link SharesLayout#columnsPerPlaintext} columns, {@code [[Σ_j X[r,j]·2^(W·j)]]}, in chunks of
 * {@link SecretSharedLr#ROW_CHUNK} rows; the peer keeps them for the BACKWARD round's
 * multi-exponentiations.
 */
final class EncryptedRows {
  private EncryptedRows() {}

  /** One chunk: this party's rows {@code [from, from + ROW_CHUNK)} out, the peer's in. */
  static void chunk(Session s, int from, int seq) throws JointlyException {
    int per = s.layout.columnsPerPlaintext();
    int width = s.layout.backwardSlotBits();
    int ownGroups = s.layout.rowGroups(s.pOwn);
    int peerGroups = s.layout.rowGroups(s.pPeer);
    if (s.peerRows == null) {
      s.peerRows = new Ciphertext[s.n][];
    }
    int count = Math.min(SecretSharedLr.ROW_CHUNK, s.n - from);
    if (ownGroups > 0) {
      List<Supplier<Ciphertext>> jobs = new ArrayList<>(count * ownGroups);
      for (int r = from; r < from + count; r++) {
        for (int h = 0; h < ownGroups; h++) {
          int c0 = h * per;
          int cn = Math.min(per, s.pOwn - c0);
          BigInteger[] slots = new BigInteger[cn];
          for (int j = 0; j < cn; j++) {
            slots[j] = BigInteger.valueOf(s.x[r][c0 + j]);
          }
          BigInteger plain = SharesMath.pack(slots, width).mod(s.keys.publicKey().n());
          jobs.add(() -> s.ownEnc.encrypt(plain));
        }
      }
      s.tx.send(SecretSharedRound.ROWS.key(seq), s.keys.publicKey().encodeAll(s.parallel(jobs)));
    }
    if (peerGroups > 0) {
      List<Ciphertext> got = s.peerKey.decodeAll(s.tx.receive(SecretSharedRound.ROWS.key(seq), s.timeout), count * peerGroups);
      for (int i = 0; i < count; i++) {
        s.peerRows[from + i] = got.subList(i * peerGroups, (i + 1) * peerGroups).toArray(Ciphertext[]::new);
      }
    }
  }

  /** Fixed-point features (with a trailing column of ones when {@code intercept}). */
  static long[][] scalars(FeatureMatrix x, boolean intercept) throws InputException {
    int p = x.columnCount() + (intercept ? 1 : 0);
    long[][] out = new long[x.rowCount()][p];
    for (int r = 0; r < x.rowCount(); r++) {
      for (int c = 0; c < x.columnCount(); c++) {
        try {
          out[r][c] = SharesMath.encode(x.get(r, c), SharesLayout.F_X, SharesLayout.X_LIMIT_BITS);
        } catch (ArithmeticException e) {
          throw new InputException(
              InputException.Kind.INVALID_INPUT,
              -1,
              "encoded feature " + x.columnNames().get(c) + " has a value beyond ±2^" + SharesLayout.X_LIMIT_BITS);
        }
      }
      if (intercept) {
        out[r][p - 1] = 1L << SharesLayout.F_X;
      }
    }
    return out;
  }
}
