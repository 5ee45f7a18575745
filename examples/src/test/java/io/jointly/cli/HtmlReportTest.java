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
  private static Map<String, Object> train() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("aligned_customers", 5000);
    t.put("train_rows", 4000);
    t.put("validation_rows", 0);
    t.put("holdout_rows", 1000);
    t.put("bank_features", 7);
    t.put("partner_features", 5);
    t.put("epochs", 8);
    t.put("mode", "secret-shared");
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("joint", model(0.81, 0.52, new double[] {20, 12, 6, 4, 3, 2, 1, 1, 1, 0}));
    evaluation.put("bank_only", model(0.64, 0.24, new double[] {9.5, 8, 7.5, 6, 5, 4, 4, 3, 2, 1}));
    t.put("evaluation", evaluation);
    t.put("partner_information_value", List.of(Map.of("feature", "spend<band>", "iv", 0.21)));
    t.put("learned", "its own weights");
    t.put("peer_learned", "nothing about scores");
    t.put("alignment", "PSI in both mode");
    return t;
  }

  private static Map<String, Object> model(double auc, double ks, double[] positives) {
    double total = 0;
    for (double p : positives) {
      total += p;
    }
    List<Map<String, Object>> deciles = new ArrayList<>();
    double cumulative = 0;
    for (int d = 0; d < positives.length; d++) {
      cumulative += positives[d];
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("decile", d + 1);
      m.put("rows", 100);
      m.put("positives", positives[d]);
      m.put("response_rate", positives[d] / 100);
      m.put("lift", (positives[d] / 100) / (total / 1000));
      m.put("cumulative_gain", cumulative / total);
      deciles.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auc", auc);
    m.put("ks", ks);
    m.put("top_decile_lift", deciles.get(0).get("lift"));
    m.put("positives", total);
    m.put("deciles", deciles);
    m.put("roc", List.of(List.of(0.0, 0.0), List.of(0.2, 0.6), List.of(1.0, 1.0)));
    return m;
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
    Map<String, Object> psi = new LinkedHashMap<>();
    psi.put("own_size", 20000);
    psi.put("intersection_size", 8000);
    psi.put("suite", "ristretto255");
    psi.put("learned", "bank-psi-learned");
    psi.put("bytes_sent", 1000);
    psi.put("bytes_received", 2000);
    Map<String, Object> partnerPsi = Map.of("own_size", 24000, "learned", "partner-psi-learned");
    Map<String, Object> train = train();
    train.put("bytes_sent", 3000);
    train.put("bytes_received", 4000);
    Map<String, Object> score =
        Map.of("learned", "bank-score-learned", "peer_learned", "partner-score-learned", "bytes_sent", 5, "bytes_received", 6);
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
    Map<String, Object> psi = new LinkedHashMap<>();
    psi.put("own_size", 20000);
    new ReportText("bank-psi-learned <i>", "银行求交所知<i>").put(psi, "learned");
    Map<String, Object> partnerPsi = Map.of("own_size", 24000, "learned", "partner-psi-learned");
    String html = HtmlReport.render("purpose", psi, partnerPsi, null, null, null);
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    assertThat(compliance)
        .contains("<td>bank-psi-learned &lt;i&gt; · <span class=\"zh\" lang=\"zh-CN\">银行求交所知&lt;i&gt;</span></td>")
        // A report written before the Chinese was added still renders, in English only.
        .contains("<td>partner-psi-learned</td>");
  }

  @Test
  void render_everyComplianceStatementHasItsChinese_exceptThePlainValues() {
    Map<String, Object> psi = new LinkedHashMap<>();
    psi.put("own_size", 20000);
    psi.put("suite", "ristretto255");
    psi.put("reveal_mode", "both");
    psi.put("input_rows", 20010);
    psi.put("invalid_rows_skipped", 7);
    psi.put("duplicate_rows", 3);
    psi.put("bytes_sent", 1000);
    psi.put("bytes_received", 2000);
    new ReportText("bank-psi", "银行求交").put(psi, "learned");
    Map<String, Object> partnerPsi = new LinkedHashMap<>();
    partnerPsi.put("own_size", 24000);
    partnerPsi.put("input_rows", 24000);
    new ReportText("partner-psi", "合作方求交").put(partnerPsi, "learned");
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("min_cell_size", 20);
    stats.put("noise", "none");
    stats.put("group_by", List.of("segment"));
    stats.put("partner_numeric_columns", List.of());
    stats.put("partner_categorical_columns", List.of());
    stats.put("segments", List.of());
    stats.put("bytes_sent", 30);
    stats.put("bytes_received", 40);
    new ReportText("bank-stats", "银行统计").put(stats, "learned");
    new ReportText("partner-stats", "合作方统计").put(stats, "peer_learned");
    Map<String, Object> train = train();
    train.put("bytes_sent", 3000);
    train.put("bytes_received", 4000);
    new ReportText("its own weights", "自身权重").put(train, "learned");
    new ReportText("nothing about scores", "不获知评分").put(train, "peer_learned");
    new ReportText("PSI in both mode", "以双方可见模式求交").put(train, "alignment");
    Map<String, Object> score = new LinkedHashMap<>(Map.of("bytes_sent", 5, "bytes_received", 6));
    new ReportText("bank-score", "银行评分").put(score, "learned");
    new ReportText("partner-score", "合作方评分").put(score, "peer_learned");

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
    Map<String, Object> t = train();
    t.put("iv_min_bin_size", 35);
    assertThat(HtmlReport.renderModel(t))
        .contains("bins of fewer than 35 training customers are withheld")
        .contains("少于 35 位训练客户的分箱不予公布");
    t.remove("iv_min_bin_size");
    assertThat(HtmlReport.renderModel(t)).contains("small bins are withheld").doesNotContain("fewer than 20");
  }

  @Test
  void learned_putsBothLanguages_andRefusesAMissingOne() {
    Map<String, Object> m = new LinkedHashMap<>();
    new ReportText("english", "中文").put(m, "peer_learned");
    assertThat(m).containsExactly(Map.entry("peer_learned", "english"), Map.entry("peer_learned_zh", "中文"));
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
    assertThat(StatsCommand.bankLearned(7).zh()).contains("至少含 7 位共同客户");
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
    Map<String, Object> t = train();
    t.remove("evaluation");
    String html = HtmlReport.renderModel(t);
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
