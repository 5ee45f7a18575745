package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.lr.ScoringResult;
import io.jointly.lr.TrainingMode;
import io.jointly.psi.PsiResult;
import io.jointly.psi.PsiRole;

/**
 * The report of {@code jointly score}: how many shared customers were scored, the traffic, and
 * what each side learned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScoreReport(
    String protocol,
    String role,
    String mode,
    PsiReport psi,
    int scoredCustomers,
    long bytesSent,
    long bytesReceived,
    String learned,
    String learnedZh,
    String peerLearned,
    String peerLearnedZh,
    ComplianceReport compliance) {

  static final String PROTOCOL = "vertical-lr-scoring";

  /** What the bank learns in scoring (both parties' reports say the same). */
  static final ReportText BANK_LEARNED =
      new ReportText(
          "which customers are shared, the partner's partial scores for them, and so the joint scores",
          "哪些客户属于共同客户、合作方对这些客户的部分评分，并由此得到联合评分");

  /** What the partner learns in scoring. */
  static final ReportText PARTNER_LEARNED =
      new ReportText(
          "which of its customers are shared; nothing about the scores", "自身哪些客户属于共同客户；不获知任何评分信息");

  static ScoreReport of(PsiRole role, TrainingMode mode, PsiResult psi, ScoringResult r, ComplianceReport compliance) {
    ReportText learned = role == PsiRole.BANK ? BANK_LEARNED : PARTNER_LEARNED;
    ReportText peer = role == PsiRole.BANK ? PARTNER_LEARNED : BANK_LEARNED;
    return new ScoreReport(
        PROTOCOL,
        role.displayName(),
        mode.displayName(),
        PsiReport.of(psi),
        r.rows().length,
        Reports.sent(psi.traffic(), r.traffic()),
        Reports.received(psi.traffic(), r.traffic()),
        learned.en(),
        learned.zh(),
        peer.en(),
        peer.zh(),
        compliance);
  }
}
