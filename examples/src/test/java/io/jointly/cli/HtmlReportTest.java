package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The model report's arithmetic and wording on a hand-built evaluation whose figures are known,
 * independent of a demo run (which {@code DemoCommandTest} checks end to end).
 */
class HtmlReportTest {

  /**
   * A holdout of 1,000 customers in ten deciles of 100 with 50 responders: the joint model puts 20
   * and 12 in the first two deciles, the bank-only model 9.5 (a tie split across deciles) and 8.
   */
  private static TrainReport.Bank train() {
    return train(evaluation(), null, text("its own weights", null), text("nothing about scores", null), text("PSI in both mode", null), 0, 0);
  }

  private static TrainReport.Evaluation evaluation() {
    return new TrainReport.Evaluation(
        model(0.81, 0.52, new double[] {20, 12, 6, 4, 3, 2, 1, 1, 1, 0}),
        model(0.64, 0.24, new double[] {9.5, 8, 7.5, 6, 5, 4, 4, 3, 2, 1}),
        0.17,
        2.1);
  }

  /** An English text and its Chinese (null: a report written before the Chinese was added). */
  private record Text(String en, String zh) {}

  private static Text text(String en, String zh) {
    return new Text(en, zh);
  }

  private static TrainReport.Bank train(
      TrainReport.Evaluation evaluation, Integer ivMinBin, Text learned, Text peerLearned, Text alignment, long sent, long received) {
    return new TrainReport.Bank(
        "vertical-lr", "bank", "secret-shared", null, 5000, 4000, 0, 1000, 7, 5, 8, "max_epochs", 8, List.of(), evaluation,
        List.of(new TrainReport.FeatureIv("spend<band>", 0.21, List.of())), ivMinBin, "gd", null, null, sent, received, 1.0,
        alignment.en(), alignment.zh(), learned.en(), learned.zh(), peerLearned.en(), peerLearned.zh(), null);
  }

  private static TrainReport.Metrics model(double auc, double ks, double[] positives) {
    double total = 0;
    for (double p : positives) {
      total += p;
    }
    List<TrainReport.Decile> deciles = new ArrayList<>();
    double cumulative = 0;
    for (int d = 0; d < positives.length; d++) {
      cumulative += positives[d];
      deciles.add(
          new TrainReport.Decile(
              d + 1, 100, positives[d], positives[d] / 100, cumulative / total, (positives[d] / 100) / (total / 1000), 0));
    }
    return new TrainReport.Metrics(
        1000, (long) total, total / 1000, auc, ks, 0.3, deciles.get(0).lift(), deciles,
        List.of(List.of(0.0, 0.0), List.of(0.2, 0.6), List.of(1.0, 1.0)));
  }

  /** A PSI report with the figures the campaign report shows. */
  private static PsiReport psi(long own, Long shared, long inputRows, long invalid, long duplicates, long sent, long received, Text learned) {
    return new PsiReport(
        "ecdh-psi", "bank", "ristretto255", "both", shared, own, 0, inputRows, invalid, duplicates, null, sent, received, 1.0,
        null, null, null, null, null, null, null, null, null, null, learned.en(), learned.zh(), "x", null, null);
  }

  private static ScoreReport score(long sent, long received, Text learned, Text peerLearned) {
    return new ScoreReport(
        "vertical-lr-scoring", "bank", "secret-shared", null, 10, sent, received, learned.en(), learned.zh(), peerLearned.en(),
        peerLearned.zh(), null);
  }

  @Test
  void renderModel_reachTable_countsRespondersOfTheTopDecilesAgainstAllResponders() {
    String html = HtmlReport.renderModel(train());
    String reach = section(html, "id=\"reach\"", "</table>");
    // Top 10 %: joint 20 of 50 responders (40 %), bank-only 9.5 (19 %); per 1,000 contacts 200 / 95.
    assertThat(reach)
        .contains("<td>top 10 %</td><td>100</td><td>20 (40 % of all responders)</td><td>9.5 (19 %)</td><td>200 / 95</td>");
    // Top 20 %: joint 32 (64 %), bank-only 17.5 (35 %); per 1,000 contacts 160 / 88 (87.5 rounds half up).
    assertThat(reach)
        .contains("<td>top 20 %</td><td>200</td><td>32 (64 % of all responders)</td><td>17.5 (35 %)</td><td>160 / 88</td>");
  }

  @Test
  void renderModel_decileTable_showsLiftAndCumulativeGainPerDecile() {
    String html = HtmlReport.renderModel(train());
    String deciles = section(html, "id=\"deciles\"", "</table>");
    // Decile 1: 20 responders of 100, rate 20 %, lift 20 % / 5 % = 4.00 (bank-only 1.90), gain 40 %.
    assertThat(deciles).contains("<tr><td>1</td><td>100</td><td>20</td><td>20.0 %</td><td>4.00</td><td>1.90</td><td>40.0 %</td><td>19.0 %</td></tr>");
    assertThat(deciles).contains("<tr><td>10</td><td>100</td><td>0</td><td>0.0 %</td><td>0.00</td><td>0.20</td><td>100.0 %</td><td>100.0 %</td></tr>");
    assertThat(Pattern.compile("<tr><td>\\d+</td>").matcher(deciles).results().count()).isEqualTo(10);
  }

  @Test
  void renderModel_statesTheHoldoutBehindTheFiguresAndThatScoresRank() {
    String html = HtmlReport.renderModel(train());
    assertThat(html).contains("Measured on 1,000 held-out customers with 50 responders (5.0 %)").contains("Scores are for ranking");
  }

  @Test
  void render_complianceSection_listsEveryStepsDisclosuresAndTraffic() {
    PsiReport psi = psi(20000, 8000L, 0, 0, 0, 1000, 2000, text("bank-psi-learned", null));
    PsiReport partnerPsi = psi(24000, null, 0, 0, 0, 0, 0, text("partner-psi-learned", null));
    TrainReport.Bank train =
        train(evaluation(), null, text("its own weights", null), text("nothing about scores", null), text("PSI in both mode", null), 3000, 4000);
    ScoreReport score = score(5, 6, text("bank-score-learned", null), text("partner-score-learned", null));
    String html = HtmlReport.render("a purpose <b>", psi, partnerPsi, null, train, score);
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    assertThat(compliance)
        .contains("a purpose &lt;b&gt;")
        .contains("bank-psi-learned")
        .contains("partner-psi-learned")
        .contains("its own weights")
        .contains("nothing about scores")
        .contains("bank-score-learned")
        .contains("partner-score-learned")
        .contains("matching: bank sent 1,000 bytes, received 2,000 bytes; training: sent 3,000, received 4,000; scoring: sent 5, received 6")
        .contains("Never exchanged");
  }

  @Test
  void render_complianceEntries_showTheChineseBesideTheEnglish_whereTheReportHasIt() {
    PsiReport psi = psi(20000, null, 0, 0, 0, 0, 0, text("bank-psi-learned <i>", "银行求交所知<i>"));
    PsiReport partnerPsi = psi(24000, null, 0, 0, 0, 0, 0, text("partner-psi-learned", null));
    String html = HtmlReport.render("purpose", psi, partnerPsi, null, null, null);
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    assertThat(compliance)
        .contains("<td>bank-psi-learned &lt;i&gt; · <span class=\"zh\" lang=\"zh-CN\">银行求交所知&lt;i&gt;</span></td>")
        // A report written before the Chinese was added still renders, in English only.
        .contains("<td>partner-psi-learned</td>");
  }

  @Test
  void render_everyComplianceStatementHasItsChinese_exceptThePlainValues() {
    PsiReport psi = psi(20000, null, 20010, 7, 3, 1000, 2000, text("bank-psi", "银行求交"));
    PsiReport partnerPsi = psi(24000, null, 24000, 0, 0, 0, 0, text("partner-psi", "合作方求交"));
    StatsReport.Bank stats =
        new StatsReport.Bank(
            "segment-statistics", "bank", null, List.of("segment"), List.of(), List.of(), 20, "none", 0, List.of(), 30, 40, 1.0,
            "bank-stats", "银行统计", "partner-stats", "合作方统计", null);
    TrainReport.Bank train =
        train(evaluation(), null, text("its own weights", "自身权重"), text("nothing about scores", "不获知评分"),
            text("PSI in both mode", "以双方可见模式求交"), 3000, 4000);
    ScoreReport score = score(5, 6, text("bank-score", "银行评分"), text("partner-score", "合作方评分"));

    String html = HtmlReport.render("purpose", psi, partnerPsi, stats, train, score);
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    java.util.regex.Matcher rows = Pattern.compile("<tr><td>([^<]*)</td><td>(.*?)</td></tr>").matcher(compliance);
    int checked = 0;
    while (rows.find()) {
      String label = rows.group(1);
      if (label.startsWith("Purpose") || label.startsWith("Group suite") || label.startsWith("Reveal mode")
          || label.startsWith("Training: mode")) {
        continue; // the operator's own words, or a parameter's name
      }
      assertThat(rows.group(2)).as(label).containsPattern(" · <span class=\"zh\" lang=\"zh-CN\">[^<]*\\p{IsHan}[^<]*</span>$");
      checked++;
    }
    assertThat(checked).isEqualTo(16);
    assertThat(compliance)
        .contains("求交：银行发送 1,000 字节，接收 2,000 字节；统计：发送 30，接收 40；训练：发送 3,000，接收 4,000；评分：发送 5，接收 6")
        .contains("银行：20,010 行，跳过无效行 7 行，合并重复 3 行；合作方：24,000 行，跳过无效行 0 行，合并重复 0 行");
    assertThat(HtmlReport.renderModel(train))
        .contains("PSI in both mode · <span class=\"zh\" lang=\"zh-CN\">以双方可见模式求交</span>");
  }

  @Test
  void renderModel_informationValueNote_statesTheReportedMinimumBin_inBothLanguages() {
    Text none = text("x", null);
    assertThat(HtmlReport.renderModel(train(evaluation(), 35, none, none, none, 0, 0)))
        .contains("bins of fewer than 35 training customers are withheld")
        .contains("少于 35 位训练客户的分箱不予公布");
    assertThat(HtmlReport.renderModel(train())).contains("small bins are withheld").doesNotContain("fewer than 20");
  }

  @Test
  void learned_bothLanguagesInTheJson_andRefusesAMissingOne() throws Exception {
    com.fasterxml.jackson.databind.JsonNode json =
        Json.REPORT.readTree(Json.REPORT.writeValueAsString(psi(10, 5L, 10, 0, 0, 1, 1, new Text("english", "中文"))));
    assertThat(json.get("learned").asText()).isEqualTo("english");
    assertThat(json.get("learned_zh").asText()).isEqualTo("中文");
    assertThat(json.has("threads")).as("no run resources in a nested psi section").isFalse();
    assertThatThrownBy(() -> new ReportText("english", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReportText(null, "中文")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void psiLearned_namesTheOtherPartyInBothLanguages_forEveryRoleAndMode() {
    for (io.jointly.psi.RevealMode mode : io.jointly.psi.RevealMode.values()) {
      for (io.jointly.psi.PsiRole role : io.jointly.psi.PsiRole.values()) {
        ReportText l = PsiCommand.learned(role, mode);
        assertThat(l.en()).as(mode + " " + role).contains(role.other().displayName() + "'s set size");
        assertThat(l.zh()).as(mode + " " + role).contains(ReportText.zhName(role.other()) + "的集合规模");
        // The three disclosures differ in both languages alike.
        boolean rows = mode.revealsRowsTo(role);
        boolean size = !rows && mode.revealsSizeTo(role);
        assertThat(l.zh().contains("哪些记录")).as(mode + " " + role).isEqualTo(rows);
        assertThat(l.zh().contains("数量")).as(mode + " " + role).isEqualTo(size);
        assertThat(l.zh().startsWith("仅")).as(mode + " " + role).isEqualTo(!rows && !size);
      }
    }
    assertThat(StatsReport.bankLearned(7).zh()).contains("至少含 7 位共同客户");
  }

  @Test
  void renderModel_charts_haveTwoCurvesTwentyBarsAndLabelledAxes() {
    String html = HtmlReport.renderModel(train());
    String roc = section(html, "id=\"roc-chart\"", "</svg>");
    assertThat(Pattern.compile("<polyline\\b").matcher(roc).results().count()).isEqualTo(2);
    assertThat(roc).contains("false-positive rate").contains("true-positive rate");
    String lift = section(html, "id=\"lift-chart\"", "</svg>");
    assertThat(Pattern.compile("<rect\\b").matcher(lift).results().count()).isEqualTo(20);
    // The value axis: 0, the dashed 1.0 and the largest lift (4.0).
    assertThat(lift).contains(">0</text>").contains(">1.0</text>").contains(">4.0</text>");
  }

  @Test
  void renderModel_explainsTheMetricsAndEscapesNames() {
    String html = HtmlReport.renderModel(train());
    assertThat(html).contains("AUC: the chance").contains("KS: the largest gap").contains("Lift: a group");
    assertThat(html).contains("spend&lt;band&gt;").doesNotContain("spend<band>");
  }

  @Test
  void renderModel_withoutEvaluation_saysSoInsteadOfCharts() {
    Text none = text("x", null);
    String html = HtmlReport.renderModel(train(null, null, none, none, none, 0, 0));
    assertThat(html).contains("Too few holdout customers").doesNotContain("id=\"roc-chart\"");
  }

  @Test
  void responders_wholeCountsAsIntegersAndTiedSharesWithOneDecimal() {
    assertThat(HtmlReport.responders(15.0)).isEqualTo("15");
    assertThat(HtmlReport.responders(1234.0)).isEqualTo("1,234");
    assertThat(HtmlReport.responders(9.5)).isEqualTo("9.5");
    assertThat(HtmlReport.responders(0.0)).isEqualTo("0");
  }

  private static String section(String html, String start, String end) {
    int from = html.indexOf(start);
    assertThat(from).as("%s present", start).isNotNegative();
    return html.substring(from, html.indexOf(end, from));
  }
}
