package io.jointly.psi.unbalanced;

import io.jointly.channel.ChannelStats;
import io.jointly.psi.PsiResult;
import io.jointly.psi.RowIndexes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client got out of an unbalanced PSI run.
 *
 * @param sharedRows the indexes of the client's input rows whose identifier is in the server's
 *     set, for a run over input in memory; empty for a streamed run, which hands them to its sink
 * @param sharedRowCount how many rows are shared
 * @param intersectionSize the number of shared distinct identifiers
 * @param ownSetSize the client's distinct identifiers that took part
 * @param serverSetSize the server's set size (from the cache)
 * @param input how the client's rows were prepared (invalid and duplicate rows)
 * @param cache the header of the cache the run used (server, key, version)
 * @param budgetUsed evaluations counted today for this client and purpose, this run included
 * @param budgetLimit the daily limit for this client and purpose
 * @param traffic bytes and messages the client sent and received, framing included
 * @param elapsed wall time, connection handshake to confirmation
 */
public record UnbalancedPsiResult(
    Optional<RowIndexes> sharedRows,
    long sharedRowCount,
    long intersectionSize,
    long ownSetSize,
    long serverSetSize,
    PsiResult.InputSummary input,
    CacheHeader cache,
    long budgetUsed,
    long budgetLimit,
    ChannelStats traffic,
    Duration elapsed) {

  public UnbalancedPsiResult {
    Objects.requireNonNull(sharedRows);
    Objects.requireNonNull(input);
    Objects.requireNonNull(cache);
    Objects.requireNonNull(traffic);
    Objects.requireNonNull(elapsed);
  }
}
