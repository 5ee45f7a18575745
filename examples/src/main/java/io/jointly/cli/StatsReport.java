package io.jointly.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jointly.stats.ColumnLayout;
import io.jointly.stats.SegmentTable;
import io.jointly.stats.StatisticsParameters;
import io.jointly.stats.StatisticsPartner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reports of {@code jointly stats}: the bank's ({@link Bank}) and the partner's ({@link Partner}). */
final class StatsReport {
  private StatsReport() {}

  static final String PROTOCOL = "segment-statistics";

  /** What the partner learns in the statistics step (the bank's report and the partner's say the same). */
  static final ReportText PARTNER_LEARNED =
      new ReportText("the bank's set size and its number of segments", "银行的集合规模及其客群数量");

  /** What the bank learns in the statistics step, with cells below {@code minCellSize} suppressed. */
  static ReportText bankLearned(int minCellSize) {
    return new ReportText(
        "which of its rows are shared, the partner's set size, column names, bounds and levels, and per segment of at least "
            + minCellSize + " shared customers the count and the sums, means and histograms of the partner's columns",
        "自身哪些记录属于共同客户，合作方的集合规模、列名、取值范围与类别取值，以及每个至少含 " + minCellSize
            + " 位共同客户的客群中的人数和合作方各列的总和、均值与直方图");
  }

  /**
   * One numeric cell of a segment: the customers with a value, their sum and mean (each absent
   * where it was suppressed).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record NumericCell(Long present, Double sum, Double mean) {}

  /**
   * One bank segment.
   *
   * @param sharedCustomers absent if the segment was suppressed (and then so are the figures)
   * @param histograms per categorical column, the count of each level (null where suppressed)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Segment(
      List<String> key,
      boolean suppressed,
      Long sharedCustomers,
      Map<String, NumericCell> numeric,
      Map<String, Map<String, Long>> histograms) {
    static Segment of(SegmentTable.Segment s) {
      if (s.suppressed()) {
        return new Segment(s.key(), true, null, null, null);
      }
      Map<String, NumericCell> numeric = new LinkedHashMap<>();
      for (SegmentTable.NumericCell n : s.numeric()) {
        numeric.put(
            n.column(),
            new NumericCell(
                n.present().isPresent() ? n.present().getAsLong() : null,
                n.sum().isPresent() ? n.sum().getAsDouble() : null,
                n.mean().isPresent() ? n.mean().getAsDouble() : null));
      }
      Map<String, Map<String, Long>> histograms = new LinkedHashMap<>();
      for (SegmentTable.Histogram h : s.categorical()) {
        Map<String, Long> counts = new LinkedHashMap<>();
        h.counts().forEach((k, v) -> counts.put(k, v.isPresent() ? v.getAsLong() : null));
        histograms.put(h.column(), counts);
      }
      return new Segment(s.key(), false, s.count().getAsLong(), numeric, histograms);
    }
  }

  /** The bank's report: the segment table and what each side learned. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Bank(
      String protocol,
      String role,
      PsiReport psi,
      List<String> groupBy,
      List<String> partnerNumericColumns,
      List<String> partnerCategoricalColumns,
      int minCellSize,
      String noise,
      double totalEpsilon,
      List<Segment> segments,
      long bytesSent,
      long bytesReceived,
      double elapsedSeconds,
      String learned,
      String learnedZh,
      String peerLearned,
      String peerLearnedZh,
      ComplianceReport compliance) {

    static Bank of(SegmentTable t, ComplianceReport compliance) {
      List<Segment> segments = new ArrayList<>();
      t.segments().forEach(s -> segments.add(Segment.of(s)));
      ReportText learned = bankLearned(t.minCellSize());
      return new Bank(
          PROTOCOL,
          "bank",
          PsiReport.of(t.psi()),
          t.groupBy(),
          t.layout().numeric().stream().map(ColumnLayout.NumericColumn::name).toList(),
          t.layout().categorical().stream().map(ColumnLayout.CategoricalColumn::name).toList(),
          t.minCellSize(),
          t.noise().toString(),
          t.totalEpsilon(),
          segments,
          Reports.sent(t.psi().traffic(), t.traffic()),
          Reports.received(t.psi().traffic(), t.traffic()),
          Reports.seconds(t.elapsed()),
          learned.en(),
          learned.zh(),
          PARTNER_LEARNED.en(),
          PARTNER_LEARNED.zh(),
          compliance);
    }

    /** The segments that were released. */
    long released() {
      return segments.stream().filter(s -> !s.suppressed()).count();
    }
  }

  /** The partner's report: what it described, and what each side learned. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Partner(
      String protocol,
      String role,
      PsiReport psi,
      List<String> columns,
      int bankSegments,
      int minCellSize,
      String noise,
      long bytesSent,
      long bytesReceived,
      double elapsedSeconds,
      String learned,
      String learnedZh,
      String peerLearned,
      String peerLearnedZh,
      ComplianceReport compliance) {

    static Partner of(StatisticsPartner.Result r, StatisticsParameters p, ComplianceReport compliance) {
      ReportText peer = bankLearned(p.minCellSize());
      return new Partner(
          PROTOCOL,
          "partner",
          PsiReport.of(r.psi()),
          r.layout().names(),
          r.segments(),
          p.minCellSize(),
          p.noise().toString(),
          Reports.sent(r.psi().traffic(), r.traffic()),
          Reports.received(r.psi().traffic(), r.traffic()),
          Reports.seconds(r.elapsed()),
          PARTNER_LEARNED.en(),
          PARTNER_LEARNED.zh(),
          peer.en(),
          peer.zh(),
          compliance);
    }
  }
}
