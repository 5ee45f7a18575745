package io.jointly.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The self-contained HTML report of a joint run, for a marketer and a compliance officer: inline CSS
 * and SVG, no external resources, opens offline. Rendered from the same typed report records as
 * the JSON reports ({@link PsiReport}, {@link StatsReport.Bank}, {@link TrainReport.Bank}, {@link
 * ScoreReport}), read back from the JSON files where a run wrote them. Bilingual labels (English /
 * 中文). Sections appear only for steps that ran.
 */
final class HtmlReport {
  private HtmlReport() {}

  /**
   * The report with the segment statistics, model and scoring entries for the steps that ran
   * (non-null reports); the compliance section lists what each step revealed to each party.
   */
  static String render(
      String purpose,
      PsiReport bankPsi,
      PsiReport partnerPsi,
      StatsReport.Bank bankStats,
      TrainReport.Bank bankTrain,
      ScoreReport bankScore) {
    long bankSize = bankPsi.ownSize();
    long partnerSize = partnerPsi.ownSize();
    long shared = bankPsi.intersectionSize() == null ? 0 : bankPsi.intersectionSize();
    StringBuilder h = head("Jointly campaign report · 联合营销报告");
    h.append("<h1>Jointly campaign report <span class=\"zh\" lang=\"zh-CN\">联合营销报告</span></h1>\n");
    h.append("<p class=\"note\">").append(esc(purpose)).append("</p>\n");

    h.append("<h2 id=\"overlap\">Customer overlap <span class=\"zh\" lang=\"zh-CN\">客户重合</span></h2>\n");
    h.append("<div class=\"kpis\">")
        .append(kpi("Bank customers", "银行客户", bankSize))
        .append(kpi("Partner customers", "合作方客户", partnerSize))
        .append(kpi("Shared customers", "共同客户", shared))
        .append("</div>\n");
    h.append(overlapChart(bankSize, partnerSize, shared));
    h.append(String.format(
        Locale.ROOT,
        "<p>%.1f %% of the bank's customers are also the partner's customers "
            + "<span class=\"zh\" lang=\"zh-CN\">（银行客户中 %.1f %% 同时是合作方客户）</span>.</p>\n",
        pct(shared, bankSize),
        pct(shared, bankSize)));

    if (bankStats != null) {
      segments(h, bankStats);
    }
    if (bankTrain != null) {
      model(h, bankTrain);
    }

    h.append("<h2 id=\"compliance\">What each party learned <span class=\"zh\" lang=\"zh-CN\">各方获知的信息</span></h2>\n");
    h.append("<table>\n<tr><th>Item <span class=\"zh\" lang=\"zh-CN\">项目</span></th><th>Value <span class=\"zh\" lang=\"zh-CN\">内容</span></th></tr>\n");
    row(h, "Purpose / 目的", purpose);
    bilingualRow(
        h,
        "Parties / 参与方",
        "the bank (holds the labels, learns the results) and the partner, each authenticated by its certificate",
        "银行（持有标签、获得结果）与合作方，双方均以证书认证");
    if ("vole-psi".equals(bankPsi.protocol())) {
      bilingualRow(
          h,
          "Protocol / 协议",
          "VOLE private set intersection, Raghuraman-Rindal (semi-honest model)",
          "基于向量不经意线性求值（VOLE）的隐私求交，Raghuraman–Rindal（半诚实模型）");
    } else {
      bilingualRow(
          h,
          "Protocol / 协议",
          "ECDH private set intersection (semi-honest model)",
          "基于椭圆曲线迪菲–赫尔曼（ECDH）的隐私求交（半诚实模型）");
      row(h, "Group suite / 密码套件", String.valueOf(bankPsi.suite()));
    }
    if (bankPsi.assumptions() != null) {
      bilingualRow(
          h, "Matching: assumptions / 求交：安全假设", bankPsi.assumptions(), bankPsi.assumptionsZh());
    }
    row(h, "Reveal mode / 结果可见性", String.valueOf(bankPsi.revealMode()));
    bilingualRow(h, "Matching: bank learned / 求交：银行获知", bankPsi.learned(), bankPsi.learnedZh());
    bilingualRow(h, "Matching: partner learned / 求交：合作方获知", partnerPsi.learned(), partnerPsi.learnedZh());
    bilingualRow(
        h,
        "Transport / 传输",
        "mutual TLS 1.3; each side verified the other's certificate",
        "双向 TLS 1.3；双方均已验证对方的证书");
    bilingualRow(
        h,
        "Traffic (bank's side) / 通信量（银行侧）",
        String.format(
                Locale.ROOT,
                "matching: bank sent %,d bytes, received %,d bytes",
                bankPsi.bytesSent(),
                bankPsi.bytesReceived())
            + traffic("statistics", bankStats == null ? null : new long[] {bankStats.bytesSent(), bankStats.bytesReceived()})
            + traffic("training", bankTrain == null ? null : new long[] {bankTrain.bytesSent(), bankTrain.bytesReceived()})
            + traffic("scoring", bankScore == null ? null : new long[] {bankScore.bytesSent(), bankScore.bytesReceived()}),
        String.format(
                Locale.ROOT,
                "求交：银行发送 %,d 字节，接收 %,d 字节",
                bankPsi.bytesSent(),
                bankPsi.bytesReceived())
            + trafficZh("统计", bankStats == null ? null : new long[] {bankStats.bytesSent(), bankStats.bytesReceived()})
            + trafficZh("训练", bankTrain == null ? null : new long[] {bankTrain.bytesSent(), bankTrain.bytesReceived()})
            + trafficZh("评分", bankScore == null ? null : new long[] {bankScore.bytesSent(), bankScore.bytesReceived()}));
    long[] checks = {
      bankPsi.inputRows(),
      bankPsi.invalidRowsSkipped(),
      bankPsi.duplicateRows(),
      partnerPsi.inputRows(),
      partnerPsi.invalidRowsSkipped(),
      partnerPsi.duplicateRows()
    };
    bilingualRow(
        h,
        "Input checks / 输入检查",
        String.format(
            Locale.ROOT,
            "bank: %,d rows, %,d invalid skipped, %,d duplicates merged; partner: %,d rows, %,d invalid skipped, %,d duplicates merged",
            checks[0], checks[1], checks[2], checks[3], checks[4], checks[5]),
        String.format(
            Locale.ROOT,
            "银行：%,d 行，跳过无效行 %,d 行，合并重复 %,d 行；合作方：%,d 行，跳过无效行 %,d 行，合并重复 %,d 行",
            checks[0], checks[1], checks[2], checks[3], checks[4], checks[5]));
    if (bankStats != null) {
      bilingualRow(h, "Statistics: bank learned / 统计：银行获知", bankStats.learned(), bankStats.learnedZh());
      bilingualRow(h, "Statistics: partner learned / 统计：合作方获知", bankStats.peerLearned(), bankStats.peerLearnedZh());
      bilingualRow(
          h,
          "Small cells / 小单元格",
          "cells of fewer than " + bankStats.minCellSize() + " shared customers are suppressed before decryption",
          "少于 " + bankStats.minCellSize() + " 位共同客户的单元格在解密前即被抑制");
      if ("none".equals(bankStats.noise())) {
        bilingualRow(
            h,
            "Noise / 噪声",
            "none (exact aggregates; repeated queries over segments that differ by a few customers can "
                + "reveal those customers' values: use --noise for repeated queries)",
            "无（精确聚合；对仅相差少数客户的客群重复查询可推出这些客户的数值，重复查询请使用 --noise）");
      } else {
        String noise = bankStats.noise() + ", total ε = " + bankStats.totalEpsilon();
        bilingualRow(h, "Noise / 噪声", noise, "已加噪声：" + noise);
      }
    }
    if (bankTrain != null) {
      row(h, "Training: mode / 训练模式", String.valueOf(bankTrain.mode()));
      bilingualRow(h, "Training: bank learned / 训练：银行获知", bankTrain.learned(), bankTrain.learnedZh());
      bilingualRow(h, "Training: partner learned / 训练：合作方获知", bankTrain.peerLearned(), bankTrain.peerLearnedZh());
    }
    if (bankScore != null) {
      bilingualRow(h, "Scoring: bank learned / 评分：银行获知", bankScore.learned(), bankScore.learnedZh());
      bilingualRow(h, "Scoring: partner learned / 评分：合作方获知", bankScore.peerLearned(), bankScore.peerLearnedZh());
    }
    bilingualRow(
        h,
        "Never exchanged / 从未交换",
        "raw identifiers, customer rows, labels, raw feature values, keys; the values derived from them that each "
            + "step does reveal are listed above",
        "原始标识、客户明细、标签、原始特征值、密钥；各步骤披露的派生值见上");
    h.append("</table>\n");
    h.append("<p class=\"note\">Both parties also learned each other's number of distinct identifiers, ")
        .append("which the handshake exchanges; each refuses a peer set below its minimum size so that a ")
        .append("handful of probe identifiers cannot test who is a customer. Matching sends each party's items ")
        .append("in an order fixed by a secret keyed hash and keeps its sorting and partitioning local, so no ")
        .append("order, bucket or partition size is revealed. ")
        .append("<span class=\"zh\" lang=\"zh-CN\">双方还获知对方的不重复标识数量（握手时交换）；")
        .append("对方集合小于己方设定的最小规模时，任一方都会拒绝，以免对方用少量探测标识测试某人是否为客户。")
        .append("求交时各方按秘密密钥哈希决定的顺序发送数据，排序与分区只在本地进行，不泄露顺序、分桶或分区大小。</span></p>\n");
    receipts(
        h,
        List.of(
            new Step("Matching", "求交", bankPsi.compliance()),
            new Step("Statistics", "统计", bankStats == null ? null : bankStats.compliance()),
            new Step("Training", "训练", bankTrain == null ? null : bankTrain.compliance()),
            new Step("Scoring", "评分", bankScore == null ? null : bankScore.compliance())));
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** A step of the campaign and its compliance section (null if the step did not run or kept none). */
  private record Step(String en, String zh, ComplianceReport compliance) {}

  /**
   * The purpose, the policy that allowed each step at the bank, and each step's receipt: its digest
   * (the same in both parties' audit logs), who signed it and how the run ended.
   */
  private static void receipts(StringBuilder h, List<Step> steps) {
    List<Step> kept = steps.stream().filter(x -> x.compliance() != null).toList();
    if (kept.isEmpty()) {
      return;
    }
    h.append("<h2 id=\"receipts\">Purpose, policy and receipts <span class=\"zh\" lang=\"zh-CN\">用途、策略与回执</span></h2>\n");
    ReceiptJson.PurposeJson purpose = kept.get(0).compliance().purpose();
    h.append("<p>");
    if (purpose == null) {
      h.append("The runs stated no purpose. <span class=\"zh\" lang=\"zh-CN\">各次运行未声明用途。</span>");
    } else {
      h.append("Purpose <span class=\"zh\" lang=\"zh-CN\">用途</span>: <b>")
          .append(esc(purpose.campaign()))
          .append("</b> — ")
          .append(esc(purpose.text()))
          .append(" (legal basis <span class=\"zh\" lang=\"zh-CN\">合法性基础</span>: ")
          .append(esc(purpose.legalBasis()))
          .append(")");
    }
    h.append("</p>\n<table id=\"receipt-table\">\n<tr><th>Step <span class=\"zh\" lang=\"zh-CN\">步骤</span></th>"
        + "<th>Allowed by the bank's policy <span class=\"zh\" lang=\"zh-CN\">银行策略依据</span></th>"
        + "<th>Receipt digest (SHA-256) <span class=\"zh\" lang=\"zh-CN\">回执摘要</span></th>"
        + "<th>Signed by <span class=\"zh\" lang=\"zh-CN\">签署方</span></th>"
        + "<th>Outcome <span class=\"zh\" lang=\"zh-CN\">结果</span></th></tr>\n");
    for (Step step : kept) {
      ComplianceReport c = step.compliance();
      String policy =
          c.policy() == null
              ? "no policy in force <span class=\"zh\" lang=\"zh-CN\">未设策略</span>"
              : esc(c.policy().id()) + ", grant " + esc(c.policy().grant()) + " <span class=\"note\">(" + esc(c.policy().digest().substring(0, 16)) + "…)</span>";
      String signers =
          c.receipt().signatures().isEmpty()
              ? "unsigned (no certificate) <span class=\"zh\" lang=\"zh-CN\">未签名</span>"
              : esc(String.join(", ", c.receipt().signatures().stream().map(ReceiptJson.SignatureJson::party).toList()));
      h.append("<tr><td>").append(step.en()).append(" <span class=\"zh\" lang=\"zh-CN\">").append(step.zh()).append("</span></td><td>")
          .append(policy).append("</td><td><code>").append(esc(c.receiptDigest())).append("</code></td><td>")
          .append(signers).append("</td><td>").append(status(c.receipt().status())).append("</td></tr>\n");
    }
    h.append("</table>\n<p class=\"note\">Each party keeps the same receipt, signed with both parties' certificate keys, "
        + "in its own hash-chained audit log; <code>jointly audit verify LOG --ca ca.crt</code> checks the log, the "
        + "signatures and the certificates. The receipts hold counts and parameters, never a customer's data. "
        + "<span class=\"zh\" lang=\"zh-CN\">双方各自在哈希链审计日志中保存同一份由双方证书密钥签署的回执；"
        + "<code>jointly audit verify</code> 可校验日志、签名与证书。回执只含计数与参数，不含任何客户数据。</span></p>\n");
  }

  /** A receipt's status in both languages. */
  private static String status(String status) {
    return switch (status) {
      case "completed" -> "completed <span class=\"zh\" lang=\"zh-CN\">完成</span>";
      case "failed" -> "failed <span class=\"zh\" lang=\"zh-CN\">失败</span>";
      case "refused" -> "refused <span class=\"zh\" lang=\"zh-CN\">拒绝</span>";
      case "unilateral" -> "completed, signed by this party alone <span class=\"zh\" lang=\"zh-CN\">完成，仅本方签署</span>";
      default -> esc(status);
    };
  }

  /** The segment table: per bank segment, shared customers and the partner-side figures. */
  private static void segments(StringBuilder h, StatsReport.Bank stats) {
    List<String> numeric = stats.partnerNumericColumns();
    List<String> categorical = stats.partnerCategoricalColumns();
    h.append("<h2 id=\"segments\">Shared customers by bank segment <span class=\"zh\" lang=\"zh-CN\">按银行客群的共同客户画像</span></h2>\n");
    h.append("<p class=\"note\">Partner-side figures are aggregates over at least ")
        .append(stats.minCellSize())
        .append(" shared customers; the bank received no single customer's partner data (see the noise row below on repeated queries). ")
        .append("<span class=\"zh\" lang=\"zh-CN\">合作方数据仅以聚合形式呈现，银行未收到任何单个客户的合作方数据（重复查询见下方“噪声”一行）。</span></p>\n");
    h.append("<table id=\"segment-table\">\n<tr><th>")
        .append(esc(String.join(" / ", stats.groupBy())))
        .append("</th><th>Shared customers <span class=\"zh\" lang=\"zh-CN\">共同客户</span></th>");
    for (String n : numeric) {
      h.append("<th>mean ").append(esc(n)).append(" <span class=\"zh\" lang=\"zh-CN\">均值</span></th>");
    }
    for (String c : categorical) {
      h.append("<th>top ").append(esc(c)).append(" <span class=\"zh\" lang=\"zh-CN\">最常见</span></th>");
    }
    h.append("</tr>\n");
    for (StatsReport.Segment seg : stats.segments()) {
      h.append("<tr><td>").append(esc(String.join(" / ", seg.key()))).append("</td>");
      if (seg.suppressed()) {
        h.append("<td colspan=\"").append(1 + numeric.size() + categorical.size())
            .append("\">suppressed: fewer than ").append(stats.minCellSize())
            .append(" shared customers <span class=\"zh\" lang=\"zh-CN\">人数过少，已抑制</span></td></tr>\n");
        continue;
      }
      long count = seg.sharedCustomers();
      h.append(String.format(Locale.ROOT, "<td>%,d</td>", count));
      for (String n : numeric) {
        StatsReport.NumericCell cell = seg.numeric().get(n);
        Double mean = cell == null ? null : cell.mean();
        h.append("<td>").append(mean != null ? String.format(Locale.ROOT, "%.2f", mean) : "suppressed").append("</td>");
      }
      for (String c : categorical) {
        String best = null;
        long bestCount = -1;
        for (Map.Entry<String, Long> e : seg.histograms().getOrDefault(c, Map.of()).entrySet()) {
          if (e.getValue() != null && e.getValue() > bestCount) {
            best = e.getKey();
            bestCount = e.getValue();
          }
        }
        h.append("<td>")
            .append(best == null ? "suppressed" : String.format(Locale.ROOT, "%s (%.0f %%)", esc(best), pct(bestCount, count)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** The page's head and the opening of its body, with the reports' style. */
  static StringBuilder head(String title) {
    StringBuilder h = new StringBuilder(16384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;")
        .append("margin:2rem auto;max-width:960px;color:#1d2733;line-height:1.45}\n")
        .append("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #e3e8ee;padding-bottom:.3rem;margin-top:2rem}\n")
        .append(".zh{color:#5b6b7c;font-weight:normal}.kpis{display:flex;gap:1rem;flex-wrap:wrap}\n")
        .append(".kpi{background:#f4f7fa;border-radius:8px;padding:.8rem 1.1rem;min-width:170px}\n")
        .append(".kpi b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%}\n")
        .append("td,th{border-bottom:1px solid #e3e8ee;padding:.4rem .5rem;text-align:left;vertical-align:top}\n")
        .append("th{background:#f4f7fa}.note{color:#5b6b7c;font-size:.9rem}.wide{overflow-x:auto}td code{word-break:break-all}\n</style>\n</head>\n<body>\n");
    return h;
  }

  /** A standalone page with the model evaluation of {@code jointly train --html}. */
  static String renderModel(TrainReport.Bank bankTrain) {
    StringBuilder h = head("Jointly model report · 联合建模报告");
    h.append("<h1>Jointly model report <span class=\"zh\" lang=\"zh-CN\">联合建模报告</span></h1>\n");
    model(h, bankTrain);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The model section: joint vs bank-only on the holdout, lift by decile, what leaked. */
  static void model(StringBuilder h, TrainReport.Bank train) {
    h.append("<h2 id=\"model\">Campaign-response model <span class=\"zh\" lang=\"zh-CN\">营销响应模型</span></h2>\n");
    h.append(String.format(
        Locale.ROOT,
        "<p>Trained on %,d shared customers (%,d for training, %,d for validation, %,d held out) with %d bank and %d partner "
            + "features, %d %s, mode <b>%s</b>. <span class=\"zh\" lang=\"zh-CN\">基于共同客户联合训练。</span></p>\n",
        train.alignedCustomers(), train.trainRows(), train.validationRows(), train.holdoutRows(),
        train.bankFeatures(), train.partnerFeatures(), train.epochs(),
        train.lbfgs() ? "L-BFGS iterations" : "epochs of mini-batch gradient descent",
        esc(String.valueOf(train.mode()))));
    TrainReport.Evaluation e = train.evaluation();
    if (e == null) {
      h.append("<p class=\"note\">Too few holdout customers of both classes for an evaluation. "
          + "<span class=\"zh\" lang=\"zh-CN\">留出集中响应与未响应客户过少，无法评估。</span></p>\n");
      return;
    }
    TrainReport.Metrics joint = e.joint();
    TrainReport.Metrics bankOnly = e.bankOnly();
    h.append("<div class=\"kpis\">")
        .append(kpiPair("Holdout AUC", "AUC", joint.auc(), bankOnly.auc(), "%.3f"))
        .append(kpiPair("KS", "KS", joint.ks(), bankOnly.ks(), "%.3f"))
        .append(kpiPair("Top-decile lift", "前10%提升度", joint.topDecileLift(), bankOnly.topDecileLift(), "%.2f×"))
        .append("</div>\n");
    h.append("<p class=\"note\">Each figure: joint model (bank + partner data) vs a bank-only model trained the same way on the bank's "
        + "features alone, on the same held-out customers. <span class=\"zh\" lang=\"zh-CN\">联合模型与仅用银行数据的模型在同一留出集上的对比。</span></p>\n");
    h.append("<p class=\"note\">AUC: the chance that the model ranks a random responder above a random non-responder (0.5 is "
        + "guessing, 1 is perfect). KS: the largest gap between the shares of responders and of non-responders reached "
        + "down the ranking. Lift: a group's response rate divided by the average rate. <span class=\"zh\" lang=\"zh-CN\">AUC：模型把随机一个响应客户排在随机一个"
        + "未响应客户之前的概率（0.5 为随机，1 为完美）。KS：沿排序累计的响应与未响应客户占比之差的最大值。提升度：某组响应率除以平均响应率。</span></p>\n");
    List<TrainReport.Decile> dj = joint.deciles();
    List<TrainReport.Decile> db = bankOnly.deciles();
    h.append(reach(dj, db, joint.positives()));
    long holdout = dj.stream().mapToLong(TrainReport.Decile::rows).sum();
    h.append(String.format(
        Locale.ROOT,
        "<p class=\"note\">Measured on %,d held-out customers with %s responders (%.1f %%): with so few responders the "
            + "figures above are estimates with a wide margin; expect the campaign list to reach a similar share of "
            + "responders, not these exact counts. Scores are for ranking: a model trained with class weights for rare "
            + "responders (the CLI's default) overstates each customer's response probability. "
            + "<span class=\"zh\" lang=\"zh-CN\">基于 %,d 位留出客户（其中 %s 位响应，%.1f %%）测算；响应客户少，以上数字误差较大。"
            + "评分仅用于排序：按类别加权训练的模型（命令行默认）会高估单个客户的响应概率。</span></p>\n",
        holdout, responders(joint.positives()), 100.0 * joint.positives() / Math.max(1, holdout),
        holdout, responders(joint.positives()), 100.0 * joint.positives() / Math.max(1, holdout)));
    h.append(rocChart(joint.roc(), bankOnly.roc()));
    h.append(liftChart(dj, db));
    h.append("<table id=\"deciles\">\n<tr><th>Decile <span class=\"zh\" lang=\"zh-CN\">十分位</span></th><th>Customers <span class=\"zh\" lang=\"zh-CN\">客户数</span></th>"
        + "<th>Responders (joint) <span class=\"zh\" lang=\"zh-CN\">响应数（联合）</span></th><th>Response rate (joint) <span class=\"zh\" lang=\"zh-CN\">响应率（联合）</span></th>"
        + "<th>Lift (joint) <span class=\"zh\" lang=\"zh-CN\">提升度（联合）</span></th><th>Lift (bank-only) <span class=\"zh\" lang=\"zh-CN\">提升度（仅银行）</span></th>"
        + "<th>Cumulative gain (joint) <span class=\"zh\" lang=\"zh-CN\">累计响应占比（联合）</span></th>"
        + "<th>Cumulative gain (bank-only) <span class=\"zh\" lang=\"zh-CN\">累计响应占比（仅银行）</span></th></tr>\n");
    for (int i = 0; i < dj.size(); i++) {
      TrainReport.Decile d = dj.get(i);
      h.append(String.format(
          Locale.ROOT,
          "<tr><td>%d</td><td>%,d</td><td>%s</td><td>%.1f %%</td><td>%.2f</td><td>%.2f</td><td>%.1f %%</td><td>%.1f %%</td></tr>\n",
          d.decile(), d.rows(), responders(d.positives()), 100 * d.responseRate(), d.lift(),
          db.get(i).lift(), 100 * d.cumulativeGain(), 100 * db.get(i).cumulativeGain()));
    }
    h.append("</table>\n<p class=\"note\">Decile 1 holds the best-ranked tenth of the held-out customers. Customers with tied "
        + "scores that straddle two deciles count in each in proportion, hence the occasional fractional responder count. "
        + "<span class=\"zh\" lang=\"zh-CN\">第1十分位为排序最靠前的10%留出客户；跨十分位的同分客户按比例计入，故响应数可能带小数。</span></p>\n");
    List<TrainReport.FeatureIv> ivs = train.partnerInformationValue();
    if (ivs != null && !ivs.isEmpty()) {
      List<TrainReport.FeatureIv> sorted = new ArrayList<>(ivs);
      sorted.sort(Comparator.comparingDouble(TrainReport.FeatureIv::iv).reversed());
      h.append("<h3 id=\"information-value\">Partner features by information value <span class=\"zh\" lang=\"zh-CN\">合作方特征信息值</span></h3>\n");
      h.append("<table>\n<tr><th>Partner feature <span class=\"zh\" lang=\"zh-CN\">特征</span></th><th>IV</th><th>Strength <span class=\"zh\" lang=\"zh-CN\">预测力</span></th></tr>\n");
      for (TrainReport.FeatureIv f : sorted) {
        double v = f.iv();
        String strength = v < 0.02 ? zh("not useful", "无") : v < 0.1 ? zh("weak", "弱") : v < 0.3 ? zh("medium", "中") : zh("strong", "强");
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td><td>%s</td></tr>\n", esc(f.feature()), v, strength));
      }
      Integer minBin = train.ivMinBinSize();
      h.append("</table>\n<p class=\"note\">Computed from the number of bank responders per partner bin, obtained under encryption; ")
          .append(minBin != null ? "bins of fewer than " + esc(String.valueOf(minBin)) + " training customers" : "small bins")
          .append(" are withheld. Bin boundaries stay with the partner. ")
          .append("<span class=\"zh\" lang=\"zh-CN\">根据加密状态下获得的合作方各分箱中的银行响应客户数计算；")
          .append(minBin != null ? "少于 " + esc(String.valueOf(minBin)) + " 位训练客户的分箱" : "过小的分箱")
          .append("不予公布。分箱边界只保留在合作方。</span></p>\n");
    }
    h.append("<table>\n");
    bilingualRow(h, "Bank learned / 银行获知", train.learned(), train.learnedZh());
    bilingualRow(h, "Partner learned / 合作方获知", train.peerLearned(), train.peerLearnedZh());
    bilingualRow(h, "Alignment / 对齐", train.alignment(), train.alignmentZh());
    h.append("</table>\n");
  }

  /** Expected responders when contacting the top 10 % and 20 % of the ranked customers. */
  private static String reach(List<TrainReport.Decile> joint, List<TrainReport.Decile> bankOnly, double positives) {
    StringBuilder t = new StringBuilder();
    t.append("<table id=\"reach\">\n<tr><th>Contact <span class=\"zh\" lang=\"zh-CN\">触达</span></th><th>Customers <span class=\"zh\" lang=\"zh-CN\">客户数</span></th>"
        + "<th>Responders, joint model <span class=\"zh\" lang=\"zh-CN\">联合模型响应数</span></th>"
        + "<th>Responders, bank-only model <span class=\"zh\" lang=\"zh-CN\">仅银行模型响应数</span></th>"
        + "<th>Responders per 1,000 contacts (joint / bank-only) <span class=\"zh\" lang=\"zh-CN\">每千次触达响应数（联合／仅银行）</span></th></tr>\n");
    for (int top : new int[] {1, 2}) {
      long rows = 0;
      double pj = 0;
      double pb = 0;
      for (int d = 0; d < top; d++) {
        rows += joint.get(d).rows();
        pj += joint.get(d).positives();
        pb += bankOnly.get(d).positives();
      }
      t.append(String.format(
          Locale.ROOT,
          "<tr><td>top %d %%</td><td>%,d</td><td>%s (%.0f %% of all responders)</td><td>%s (%.0f %%)</td><td>%.0f / %.0f</td></tr>\n",
          top * 10, rows, responders(pj), 100 * pj / Math.max(1, positives), responders(pb), 100 * pb / Math.max(1, positives),
          1000 * pj / Math.max(1, rows), 1000 * pb / Math.max(1, rows)));
    }
    t.append("</table>\n<p class=\"note\">On the held-out customers: the responders a campaign reaches by contacting the "
        + "best-ranked 10 % or 20 %. <span class=\"zh\" lang=\"zh-CN\">在留出客户上，按模型排序触达前10%/20%客户可获得的响应客户数。</span></p>\n");
    return t.toString();
  }

  /**
   * A responder count: whole numbers as integers, the fractional counts of tied scores split across
   * deciles with one decimal.
   */
  static String responders(double count) {
    double whole = Math.rint(count);
    return Math.abs(count - whole) < 1e-9
        ? String.format(Locale.ROOT, "%,d", (long) whole)
        : String.format(Locale.ROOT, "%,.1f", count);
  }

  /** The ROC curves of the joint and the bank-only model (inline SVG), with the diagonal and axis labels. */
  private static String rocChart(List<List<Double>> joint, List<List<Double>> bankOnly) {
    int size = 260;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(
        Locale.ROOT,
        "<svg id=\"roc-chart\" role=\"img\" aria-label=\"ROC curve\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "xmlns=\"http://www.w3.org/2000/svg\">\n",
        size + 180, size + 40, size + 180, size + 40));
    svg.append(String.format(Locale.ROOT, "<rect x=\"20\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>", size, size));
    svg.append(String.format(Locale.ROOT, "<line x1=\"20\" y1=\"%d\" x2=\"%d\" y2=\"10\" stroke=\"#888\" stroke-dasharray=\"4\"/>\n", size + 10, size + 20));
    svg.append(polyline(bankOnly, size, "#2f6db5")).append(polyline(joint, size, "#3c9d5d"));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"40\" font-size=\"12\" fill=\"#3c9d5d\">— joint 联合</text>"
            + "<text x=\"%d\" y=\"58\" font-size=\"12\" fill=\"#2f6db5\">— bank-only 仅银行</text>"
            + "<text x=\"20\" y=\"%d\" font-size=\"11\">0</text><text x=\"%d\" y=\"%d\" font-size=\"11\">1</text>"
            + "<text x=\"40\" y=\"%d\" font-size=\"12\">false-positive rate 假正率 →</text>"
            + "<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\">true-positive rate 真正率 →</text>\n</svg>\n",
        size + 30, size + 30, size + 24, size + 14, size + 24, size + 36, size + 10, size + 10));
    return svg.toString();
  }

  private static String polyline(List<List<Double>> points, int size, String colour) {
    StringBuilder p = new StringBuilder("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + colour + "\" points=\"");
    for (List<Double> pt : points) {
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", 20 + size * pt.get(0).doubleValue(), 10 + size * (1 - pt.get(1).doubleValue())));
    }
    return p.append("\"/>\n").toString();
  }

  private static String kpiPair(String en, String zh, double joint, double bankOnly, String fmt) {
    return String.format(
        Locale.ROOT,
        "<div class=\"kpi\">%s <span class=\"zh\" lang=\"zh-CN\">%s</span><b>" + fmt + "</b>bank-only <span class=\"zh\" lang=\"zh-CN\">仅银行</span> " + fmt + "</div>",
        en, zh, joint, bankOnly);
  }

  /** Lift by decile, joint and bank-only bars side by side (inline SVG). */
  private static String liftChart(List<TrainReport.Decile> joint, List<TrainReport.Decile> bankOnly) {
    double max = 1;
    for (int i = 0; i < joint.size(); i++) {
      max = Math.max(max, Math.max(joint.get(i).lift(), bankOnly.get(i).lift()));
    }
    int height = 180;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"lift-chart\" role=\"img\" aria-label=\"lift by decile\" width=\"640\" height=\"230\" ")
        .append("viewBox=\"0 0 640 230\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (int i = 0; i < joint.size(); i++) {
      int x = 40 + i * 60;
      int hj = (int) Math.round(height * joint.get(i).lift() / max);
      int hb = (int) Math.round(height * bankOnly.get(i).lift() / max);
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"%d\" fill=\"#3c9d5d\"/>", x, 10 + height - hj, Math.max(1, hj)));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"%d\" fill=\"#2f6db5\"/>", x + 24, 10 + height - hb, Math.max(1, hb)));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%d</text>\n", x + 16, height + 26, i + 1));
    }
    int base = 10 + height - (int) Math.round(height / max);
    svg.append(String.format(Locale.ROOT, "<line x1=\"30\" y1=\"%d\" x2=\"640\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"4\"/>", base, base));
    // The value axis: 0 at the foot, 1.0 at the dashed line, the largest lift at the top.
    svg.append(String.format(Locale.ROOT, "<line x1=\"34\" y1=\"10\" x2=\"34\" y2=\"%d\" stroke=\"#bbb\"/>", 10 + height));
    svg.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>", 14 + height));
    svg.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">1.0</text>", base + 4));
    if (max >= 1.25) {
      svg.append(String.format(Locale.ROOT, "<text x=\"30\" y=\"18\" font-size=\"11\" text-anchor=\"end\">%.1f</text>", max));
    }
    svg.append("<text x=\"40\" y=\"228\" font-size=\"12\" fill=\"#3c9d5d\">■ joint 联合</text>")
        .append("<text x=\"160\" y=\"228\" font-size=\"12\" fill=\"#2f6db5\">■ bank-only 仅银行</text>")
        .append("<text x=\"330\" y=\"228\" font-size=\"12\">lift by decile (dashed: 1.0) 各十分位提升度</text>\n</svg>\n");
    return svg.toString();
  }

  private static String overlapChart(long bank, long partner, long shared) {
    long max = Math.max(1, Math.max(bank, partner));
    int w = 600;
    int bankW = (int) (w * bank / max);
    int partnerW = (int) (w * partner / max);
    int sharedW = (int) (w * shared / max);
    return String.format(
        Locale.ROOT,
        "<svg id=\"overlap-chart\" role=\"img\" aria-label=\"customer overlap\" width=\"%d\" height=\"120\" "
            + "viewBox=\"0 0 %d 120\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            + "<rect x=\"150\" y=\"10\" width=\"%d\" height=\"26\" fill=\"#2f6db5\"/>"
            + "<text x=\"0\" y=\"28\" font-size=\"13\">Bank 银行</text>\n"
            + "<rect x=\"150\" y=\"46\" width=\"%d\" height=\"26\" fill=\"#e08a2c\"/>"
            + "<text x=\"0\" y=\"64\" font-size=\"13\">Partner 合作方</text>\n"
            + "<rect x=\"150\" y=\"82\" width=\"%d\" height=\"26\" fill=\"#3c9d5d\"/>"
            + "<text x=\"0\" y=\"100\" font-size=\"13\">Shared 共同</text>\n"
            + "</svg>\n",
        w + 160,
        w + 160,
        Math.max(1, bankW),
        Math.max(1, partnerW),
        Math.max(1, sharedW));
  }

  /** "; step: sent …, received …" for a step that ran ({sent, received}), else nothing. */
  private static String traffic(String step, long[] bytes) {
    return bytes == null ? "" : String.format(Locale.ROOT, "; %s: sent %,d, received %,d", step, bytes[0], bytes[1]);
  }

  private static String trafficZh(String step, long[] bytes) {
    return bytes == null ? "" : String.format(Locale.ROOT, "；%s：发送 %,d，接收 %,d", step, bytes[0], bytes[1]);
  }

  /** English text, then the Chinese in a zh-CN span (both literals of this class, not escaped). */
  private static String zh(String en, String zh) {
    return en + " · <span class=\"zh\" lang=\"zh-CN\">" + zh + "</span>";
  }

  private static String kpi(String en, String zh, long v) {
    return String.format(
        Locale.ROOT, "<div class=\"kpi\">%s <span class=\"zh\" lang=\"zh-CN\">%s</span><b>%,d</b></div>", en, zh, v);
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>\n");
  }

  /** A row with English text and, unless {@code zh} is null, the Chinese beside it. */
  private static void bilingualRow(StringBuilder h, String label, String en, String zh) {
    h.append("<tr><td>").append(esc(label)).append("</td><td>").append(esc(en));
    if (zh != null) {
      h.append(" · <span class=\"zh\" lang=\"zh-CN\">").append(esc(zh)).append("</span>");
    }
    h.append("</td></tr>\n");
  }

  private static double pct(long a, long b) {
    return b == 0 ? 0 : 100.0 * a / b;
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
