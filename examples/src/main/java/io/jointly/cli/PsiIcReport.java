package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.psi.ic.IcParameters;
import io.jointly.psi.ic.IcPsiResult;

/**
 * The report of one {@code psi-ic} run, as {@code psi-ic --report} writes it: the standard's
 * parameters as run, sizes, input checks, traffic, what each rank learned in English and Chinese,
 * and this party's compliance section (its own receipt: the standard's wire carries no agreement).
 *
 * @param intersectionSize the shared identifiers, absent if this rank does not learn them
 * @param sharedRows this party's shared rows, absent if it does not learn them
 * @param compliance the run's purpose, policy and this party's receipt
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PsiIcReport(
    String protocol,
    String standard,
    int rank,
    String suite,
    int resultToRank,
    int bitLengthAfterTruncated,
    int secondStageBytesSent,
    int secondStageBytesReceived,
    Long intersectionSize,
    Long sharedRows,
    long ownSize,
    long peerSize,
    long inputRows,
    long invalidRowsSkipped,
    long duplicateRows,
    long bytesSent,
    long bytesReceived,
    double elapsedSeconds,
    String learned,
    String learnedZh,
    String peerLearned,
    String peerLearnedZh,
    ComplianceReport compliance) {

  /** The report of {@code r}, with {@code compliance}. */
  static PsiIcReport of(IcPsiResult r, ComplianceReport compliance) {
    ReportText learned = PsiIcCommand.learned(IcParameters.gets(r.resultToRank(), r.rank()));
    ReportText peerLearned = PsiIcCommand.learned(IcParameters.gets(r.resultToRank(), 1 - r.rank()));
    return new PsiIcReport(
        "interconnection-ecdh-psi",
        "CAICT PPCA 9-2023 ECDH-PSI, handshake version 2, white-box transport",
        r.rank(),
        r.suite().displayName(),
        r.resultToRank(),
        r.bitLengthAfterTruncated(),
        r.secondStageBytesSent(),
        r.secondStageBytesReceived(),
        r.intersectionSize().isPresent() ? r.intersectionSize().getAsLong() : null,
        r.sharedRows().map(rows -> (long) rows.size()).orElse(null),
        r.ownSetSize(),
        r.peerSetSize(),
        r.input().rows(),
        r.input().invalidRowsSkipped(),
        r.input().duplicateRows(),
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        Reports.seconds(r.elapsed()),
        learned.en(),
        learned.zh(),
        peerLearned.en(),
        peerLearned.zh(),
        compliance);
  }
}
