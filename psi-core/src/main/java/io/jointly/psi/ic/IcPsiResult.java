package io.jointly.psi.ic;

import io.jointly.channel.ChannelStats;
import io.jointly.group.InterconnectionSuite;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one party got out of an interconnection ECDH-PSI run.
 *
 * @param rank this party's rank
 * @param suite the agreed suite
 * @param resultToRank the agreed receiver of the result: -1 both, else that rank
 * @param bitLengthAfterTruncated the agreed {@code bit_length_after_truncated} (-1: none)
 * @param secondStageBytesSent bytes per second-stage value this party sent (0 if it sent none)
 * @param secondStageBytesReceived bytes per second-stage value it received and compared (0 if
 *     none)
 * @param sharedRows this party's input rows whose identifier is shared, if it learns the result
 * @param intersectionSize the number of shared distinct identifiers, if it learns the result
 * @param ownSetSize this party's distinct identifiers
 * @param peerSetSize the number of first-stage values the peer sent (its items; a reference peer
 *     sends one per row, duplicates included)
 * @param input how this party's rows were prepared
 * @param traffic what this party sent and received, framing included
 * @param elapsed wall-clock time, handshake to the end of the data phase
 */
public record IcPsiResult(
    int rank,
    InterconnectionSuite suite,
    int resultToRank,
    int bitLengthAfterTruncated,
    int secondStageBytesSent,
    int secondStageBytesReceived,
    Optional<RowIndexes> sharedRows,
    OptionalLong intersectionSize,
    long ownSetSize,
    long peerSetSize,
    PsiResult.InputSummary input,
    ChannelStats traffic,
    Duration elapsed) {

  public IcPsiResult {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(sharedRows, "sharedRows");
    Objects.requireNonNull(intersectionSize, "intersectionSize");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Whether this party learned the intersection. */
  public boolean learned() {
    return sharedRows.isPresent();
  }
}
