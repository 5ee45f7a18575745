package io.jointly.lr;

import io.jointly.channel.MessageChannel;
import io.jointly.core.Abort;
import io.jointly.core.Bytes;
import io.jointly.core.JointlyException;
import io.jointly.lr.features.ColumnKind;
import io.jointly.lr.features.ColumnTransform;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.internal.LrRound;
import io.jointly.lr.internal.LrWire;
import io.jointly.lr.metrics.Binning;
import io.jointly.lr.metrics.FeatureInformationValue;
import io.jointly.lr.metrics.InformationValue;
import io.jointly.paillier.Ciphertext;
import io.jointly.paillier.PaillierDecryptor;
import io.jointly.paillier.PaillierEncryptor;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Information value of the partners' columns, in either mode, between HELLO and training: the
 * bank sends its training labels encrypted under its own key ({@code LABELS}); the partner bins
 * each of its columns over the training rows (bins below its minimum size withheld), sums the
 * encrypted labels per bin, packs the sums by Horner's rule under encryption, re-randomises them
 * and returns them with the bin sizes ({@code IV_SUMS}); the bank decrypts the responders per bin
 * and computes WOE and IV ({@link InformationValue}), applying its own minimum bin size on top.
 * The bank learns, per partner column and released bin, the number of training rows and
 * responders; never bin edges or which rows fall in a bin. The partner learns nothing (the labels
 * are semantically secure ciphertexts).
 */
final class InformationValueExchange {
  private InformationValueExchange() {}

  /** The bank's half with one partner: LABELS out, IV_SUMS in, IV per column. */
  static List<FeatureInformationValue> bank(
      MessageChannel tx,
      Bytes encryptedLabels,
      PaillierEncryptor enc,
      PaillierDecryptor dec,
      int trainRows,
      int modulusBits,
      int minBinSize,
      Duration timeout)
      throws JointlyException {
    tx.send(LrRound.LABELS.key(0), encryptedLabels);
    LrWire.IvMessage msg = LrWire.ivSums(tx.receive(LrRound.IV_SUMS.key(0), timeout), trainRows);
    int released = 0;
    for (LrWire.IvFeature f : msg.features()) {
      for (boolean sup : f.suppressed()) {
        released += sup ? 0 : 1;
      }
    }
    int width = slotWidth(trainRows);
    int per = (modulusBits - 1) / width;
    int packedCount = (released + per - 1) / per;
    List<Ciphertext> cts = enc.publicKey().decodeAll(msg.ciphertexts(), packedCount);
    BigInteger[] opened = new BigInteger[packedCount];
    for (int j = 0; j < packedCount; j++) {
      opened[j] = dec.decrypt(cts.get(j));
    }
    BigInteger[] positives = unpackGroups(opened, released, width, per);
    List<FeatureInformationValue> out = new ArrayList<>();
    int k = 0;
    for (LrWire.IvFeature f : msg.features()) {
      List<InformationValue.BinCount> counts = new ArrayList<>();
      for (int b = 0; b < f.rows().length; b++) {
        if (f.suppressed()[b]) {
          counts.add(new InformationValue.BinCount(b, 0, 0, true));
          continue;
        }
        long pos = positives[k++].longValueExact();
        Abort.unlessWellFormed(pos <= f.rows()[b], "IV_SUMS: more positives than rows in a bin");
        counts.add(new InformationValue.BinCount(b, pos, f.rows()[b] - pos, false));
      }
      out.add(new FeatureInformationValue(f.name(), InformationValue.of(counts, InformationValue.DEFAULT_SMOOTHING, minBinSize)));
    }
    return out;
  }

  /**
   * The partner's half: LABELS in; bins each of its columns over the training rows (bins below
   * {@code minBin} are withheld), sums the bank's encrypted labels per bin, and returns the bin
   * sizes and the packed, re-randomised sums (IV_SUMS).
   */
  static void partner(
      MessageChannel tx,
      PaillierEncryptor enc,
      RawTable trainRows,
      FeatureTransform transform,
      int n,
      int modulusBits,
      int minBin,
      Duration timeout)
      throws JointlyException {
    List<Ciphertext> labels = enc.publicKey().decodeAll(tx.receive(LrRound.LABELS.key(0), timeout), n);
    List<LrWire.IvFeature> features = new ArrayList<>();
    List<Ciphertext> sums = new ArrayList<>();
    for (ColumnTransform c : transform.columns()) {
      ColumnKind kind = c instanceof ColumnTransform.Numeric ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
      Binning binning = Binning.fit(trainRows, c.name(), kind, 10, minBin);
      int[] assignment = binning.assignment();
      List<Binning.Bin> bins = binning.bins();
      int[] rows = new int[bins.size()];
      boolean[] suppressed = new boolean[bins.size()];
      List<List<Ciphertext>> members = new ArrayList<>();
      for (int b = 0; b < bins.size(); b++) {
        members.add(new ArrayList<>());
        rows[b] = bins.get(b).rows();
        suppressed[b] = bins.get(b).suppressed();
      }
      for (int i = 0; i < assignment.length; i++) {
        members.get(assignment[i]).add(labels.get(i));
      }
      for (int b = 0; b < bins.size(); b++) {
        if (!suppressed[b]) {
          sums.add(enc.sum(members.get(b)));
        }
      }
      features.add(new LrWire.IvFeature(c.name(), rows, suppressed));
    }
    int width = slotWidth(n);
    List<Ciphertext> packed = sums.isEmpty() ? List.of() : packed(enc, sums, width, (modulusBits - 1) / width);
    tx.send(LrRound.IV_SUMS.key(0), LrWire.ivSums(features, enc.publicKey().encodeAll(packed)));
  }

  /** Bits per packed bin count: enough for the number of training rows. */
  static int slotWidth(int trainRows) {
    return 64 - Long.numberOfLeadingZeros(Math.max(1, trainRows)) + 1;
  }

  /**
   * Packs encrypted values into groups of {@code per} slots of {@code width} bits by Horner's rule
   * ({@code acc ← acc·2^width + next}, so a group's first value ends up highest) and re-randomises
   * each result with full randomness, so the key holder cannot tell which ciphertexts went in.
   */
  static List<Ciphertext> packed(PaillierEncryptor enc, List<Ciphertext> values, int width, int per) {
    BigInteger shift = BigInteger.ONE.shiftLeft(width);
    List<Ciphertext> out = new ArrayList<>();
    for (int from = 0; from < values.size(); from += per) {
      Ciphertext acc = values.get(from);
      for (int j = from + 1; j < Math.min(values.size(), from + per); j++) {
        acc = enc.add(enc.multiply(acc, shift), values.get(j));
      }
      out.add(enc.rerandomize(acc));
    }
    return out;
  }

  /**
   * The {@code count} non-negative slots of {@code width} bits that the partner packed under
   * encryption by Horner's rule in groups of {@code per} (a group's first value highest).
   */
  static BigInteger[] unpackGroups(BigInteger[] opened, int count, int width, int per) {
    BigInteger slotMask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
    BigInteger[] out = new BigInteger[count];
    for (int j = 0; j < count; j++) {
      int p = j / per;
      int inGroup = Math.min(per, count - p * per);
      int slot = (inGroup - 1) - (j % per);
      out[j] = opened[p].shiftRight(slot * width).and(slotMask);
    }
    return out;
  }
}
