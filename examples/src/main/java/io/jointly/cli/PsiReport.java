package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.psi.PsiProtocol;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;
import io.jointly.psi.RevealMode;
import io.jointly.psi.RunStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report of one PSI run, as {@code psi --report} writes it and as the {@code psi} section of
 * the statistics, training and scoring reports: sizes, input checks, traffic, and what each party
 * learned in English and Chinese.
 *
 * @param intersectionSize the shared identifiers, absent if this party does not learn them
 * @param sharedRows this party's shared rows, absent if it does not learn them
 * @param threads and the fields up to {@code resumes}: how the run used this machine (threads,
 *     memory budget and peaks, work-directory disk, seconds per stage, items per second per core
 *     over both sets, resumes), in the report of {@code psi} only
 * @param suite the group suite, absent for a protocol without one (VOLE PSI)
 * @param assumptions what the protocol's guarantees rest on, in words for the compliance officer
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
    Integer threads,
    Long memoryBudgetBytes,
    Long peakHeapBytes,
    Long peakLiveHeapBytes,
    Long peakWorkDirBytes,
    Map<String, Double> stageSeconds,
    Double itemsPerSecondPerCore,
    Integer resumes,
    String assumptions,
    String assumptionsZh,
    String learned,
    String learnedZh,
    String peerLearned,
    String peerLearnedZh,
    ComplianceReport compliance) {

  /**
   * The report of a {@code psi} run: {@link #of} with the run's resources, the texts of what each
   * party learned saying whether the run was resumed, and {@code compliance} (may be null).
   */
  static PsiReport ofRun(PsiResult r, ComplianceReport compliance) {
    boolean resumed = r.resources().resumes() > 0;
    ReportText learned = PsiCommand.learned(r.role(), r.revealMode(), resumed);
    ReportText peerLearned = PsiCommand.learned(r.role().other(), r.revealMode(), resumed);
    PsiReport base = of(r);
    RunStats s = r.resources();
    double seconds = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
    Map<String, Double> stages = new LinkedHashMap<>();
    s.stages().forEach((k, v) -> stages.put(k, Math.round(v.toMillis() / 10.0) / 100.0));
    return new PsiReport(
        base.protocol, base.role, base.suite, base.revealMode, base.intersectionSize, base.ownSize,
        base.peerSize, base.inputRows, base.invalidRowsSkipped, base.duplicateRows, base.sharedRows,
        base.bytesSent, base.bytesReceived, base.elapsedSeconds,
        s.threads(), s.memoryBudgetBytes(), s.peakHeapBytes(), s.peakLiveHeapBytes(), s.peakWorkDirBytes(),
        stages,
        Math.round((r.ownSetSize() + r.peerSetSize()) / seconds / s.threads() * 10.0) / 10.0,
        s.resumes(),
        base.assumptions, base.assumptionsZh,
        learned.en(), learned.zh(), peerLearned.en(), peerLearned.zh(), compliance);
  }

  /** The report of {@code r}, without a compliance section. */
  static PsiReport of(PsiResult r) {
    ReportText learned = learned(r.role(), r.revealMode());
    ReportText peerLearned = learned(r.role().other(), r.revealMode());
    ReportText assumptions = PsiCommand.assumptions(r.protocol());
    return new PsiReport(
        r.protocol() == PsiProtocol.VOLE ? "vole-psi" : "ecdh-psi",
        r.role().displayName(),
        r.suite().map(suite -> suite.displayName()).orElse(null),
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
        null, null, null, null, null, null, null, null,
        assumptions.en(),
        assumptions.zh(),
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
