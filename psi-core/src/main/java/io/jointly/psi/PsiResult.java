package io.jointly.psi;

import io.jointly.channel.ChannelStats;
import io.jointly.group.SuiteId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one party got out of a PSI run (either protocol).
 *
 * @param role this party's role
 * @param protocol the protocol that ran
 * @param revealMode the agreed reveal mode
 * @param suite the agreed group suite (ECDH PSI; empty for VOLE PSI, which has none)
 * @param sharedRows the indexes of this party's input rows whose identifier is shared — present
 *     only if the reveal mode gives this party the intersection and the run collected them in memory
 *     (a streaming run hands them to its sink instead)
 * @param sharedRowCount how many of this party's rows are shared — present if the reveal mode
 *     gives this party the intersection
 * @param intersectionSize the number of shared distinct identifiers — present only if the reveal
 *     mode gives this party the intersection or its size
 * @param ownSetSize this party's distinct identifiers that took part
 * @param peerSetSize the peer's distinct identifiers (from the handshake)
 * @param input how this party's rows were prepared (invalid and duplicate rows)
 * @param traffic bytes and messages this party sent and received, framing included
 * @param elapsed wall-clock time of the run, handshake to confirmation
 * @param alignment send positions of this party's items and, if it learns the intersection, the
 *     peer's send position for each shared item ({@link PsiAlignment}); empty for a streaming run
 * @param resources threads, memory, disk and time per stage
 */
public record PsiResult(
    PsiRole role,
    PsiProtocol protocol,
    RevealMode revealMode,
    Optional<SuiteId> suite,
    Optional<RowIndexes> sharedRows,
    OptionalLong sharedRowCount,
    OptionalLong intersectionSize,
    long ownSetSize,
    long peerSetSize,
    InputSummary input,
    ChannelStats traffic,
    Duration elapsed,
    PsiAlignment alignment,
    RunStats resources) {

  public PsiResult {
    Objects.requireNonNull(role);
    Objects.requireNonNull(protocol);
    Objects.requireNonNull(revealMode);
    Objects.requireNonNull(suite);
    Objects.requireNonNull(sharedRows);
    Objects.requireNonNull(intersectionSize);
    Objects.requireNonNull(input);
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
    Objects.requireNonNull(alignment);
    Objects.requireNonNull(sharedRowCount);
    Objects.requireNonNull(resources);
  }

  /**
   * How a party's rows became the set it brought.
   *
   * @param rows input rows
   * @param invalidRowsSkipped rows left out because their identifier failed the profile
   * @param duplicateRows rows whose identifier repeated an earlier row's
   */
  public record InputSummary(long rows, long invalidRowsSkipped, long duplicateRows) {}
}
