package io.jointly.psi.ic;

import io.jointly.core.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The content of one {@code EcdhPsiCipherBatch} (spec §2.5, §5.5): as received, a batch is
 * validated by the protocol (with {@link io.jointly.core.Abort}), not here, so that a peer's bad
 * values end the run as a protocol abort; this record only refuses nulls.
 *
 * @param type {@code "enc"} or {@code "dual.enc"} ({@link IcStage#type()})
 * @param batchIndex the index within its stream, from 0
 * @param lastBatch {@code is_last_batch} (the reference sets it only on the empty terminator, and
 *     ends a stream on {@code count == 0} alone)
 * @param count the number of ciphertexts
 * @param ciphertext the ciphertexts, concatenated, of equal length each
 * @param duplicateCounts {@code duplicate_item_cnt_map}: index in this batch → occurrences − 1, as
 *     unsigned 32-bit values (Jointly sends none; received ones are checked and otherwise ignored)
 */
public record CipherBatch(
    String type,
    int batchIndex,
    boolean lastBatch,
    int count,
    Bytes ciphertext,
    Map<Integer, Integer> duplicateCounts) {

  public CipherBatch {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ciphertext, "ciphertext");
    duplicateCounts = Map.copyOf(duplicateCounts);
  }

  /** A data batch of {@code stage} as Jointly sends it: not marked last, no duplicate counts. */
  public static CipherBatch data(IcStage stage, int index, int count, Bytes ciphertext) {
    return new CipherBatch(stage.type(), index, false, count, ciphertext, Map.of());
  }

  /** The empty batch that ends a stream of {@code stage}: count 0, marked last. */
  public static CipherBatch terminator(IcStage stage, int index) {
    return new CipherBatch(stage.type(), index, true, 0, Bytes.EMPTY, Map.of());
  }

  /** The duplicate counts ordered by index (for deterministic encoding and messages). */
  public Map<Integer, Integer> sortedDuplicateCounts() {
    return new TreeMap<>(duplicateCounts);
  }

  @Override
  public String toString() {
    return "CipherBatch[" + type + " #" + batchIndex + ", " + count + " items, "
        + ciphertext.length() + " bytes" + (lastBatch ? ", last" : "") + "]";
  }
}
