package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;

/**
 * The report of one PSI run, as {@code psi --report} writes it and as the {@code psi} section of
 * the statistics, training and scoring reports: sizes, input checks, traffic, and what each party
 * learned in English and Chinese.
 *
 * @param intersectionSize the shared identifiers, absent if this party does not learn them
 * @param sharedRows this party's shared rows, absent if it does not learn them
 * @param compliance the run's purpose, policy and receipt (top-level reports of a run only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PsiReport(
    String protocol,
    String role,
    String suite,
    String revealMode,
    Long intersectionSize,
    long ownSize,
    long peerSize,
    long inputRows,
    long invalidRowsSkipped,
    long duplicateRows,
    Long sharedRows,
    long bytesSent,
    long bytesReceived,
    double elapsedSeconds,
    String learned,
    String learnedZh,
    String peerLearned,
    String peerLearnedZh,
    ComplianceReport compliance) {

  /** The report of {@code r}, without a compliance section. */
  static PsiReport of(PsiResult r) {
    ReportText learned = learned(r.role(), r.revealMode());
    ReportText peerLearned = learned(r.role().other(), r.revealMode());
    return new PsiReport(
        "ecdh-psi",
        r.role().displayName(),
        r.suite().displayName(),
        r.revealMode().displayName(),
        r.intersectionSize().isPresent() ? r.intersectionSize().getAsLong() : null,
        r.ownSetSize(),
        r.peerSetSize(),
        r.input().rows(),
        r.input().invalidRowsSkipped(),
        r.input().duplicateRows(),
        r.sharedRowCount().isPresent() ? r.sharedRowCount().getAsLong() : null,
        r.traffic().bytesSent(),
        r.traffic().bytesReceived(),
        Reports.seconds(r.elapsed()),
        learned.en(),
        learned.zh(),
        peerLearned.en(),
        peerLearned.zh(),
        null);
  }

  /** What a party in {@code role} learns in {@code mode}, in words for the compliance officer. */
  static ReportText learned(PsiRole role, RevealMode mode) {
    String other = role.other().displayName();
    String otherZh = ReportText.zhName(role.other());
    if (mode.revealsRowsTo(role)) {
      return new ReportText(
          "which of its own rows are shared, and the " + other + "'s set size",
          "自身哪些记录属于共同客户，以及" + otherZh + "的集合规模");
    }
    if (mode.revealsSizeTo(role)) {
      return new ReportText(
          "how many identifiers are shared, and the " + other + "'s set size",
          "共同标识的数量，以及" + otherZh + "的集合规模");
    }
    return new ReportText("only the " + other + "'s set size", "仅" + otherZh + "的集合规模");
  }
}
