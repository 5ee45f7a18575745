package io.jointly.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The self-contained HTML report of a joint run, for a marketer and a compliance officer: inline CSS
 * and SVG, no external resources, opens offline. Rendered from the same report fields as the JSON
 * reports. Bilingual labels (English / 中文). Sections appear only for steps that ran.
 */
final class HtmlReport {
  private HtmlReport() {}

  /**
   * The report with the segment statistics, model and scoring entries for the steps that ran
   * (non-null reports); the compliance section lists what each step revealed to each party.
   */
  static String render(
      String purpose,
      Map<String, Object> bankPsi,
      Map<String, Object> partnerPsi,
      Map<String, Object> bankStats,
      Map<String, Object> bankTrain,
      Map<String, Object> bankScore) {
    long bankSize = num(bankPsi, "own_size");
    long partnerSize = num(partnerPsi, "own_size");
    long shared = num(bankPsi, "intersection_size");
    StringBuilder h = head();
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
    if ("vole-psi".equals(bankPsi.get("protocol"))) {
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
      row(h, "Group suite / 密码套件", String.valueOf(bankPsi.get("suite")));
    }
    if (bankPsi.containsKey("assumptions")) {
      textRow(h, "Matching: assumptions / 求交：安全假设", bankPsi, "assumptions");
    }
    row(h, "Reveal mode / 结果可见性", String.valueOf(bankPsi.get("reveal_mode")));
    textRow(h, "Matching: bank learned / 求交：银行获知", bankPsi, "learned");
    textRow(h, "Matching: partner learned / 求交：合作方获知", partnerPsi, "learned");
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
                num(bankPsi, "bytes_sent"),
                num(bankPsi, "bytes_received"))
            + traffic("statistics", bankStats)
            + traffic("training", bankTrain)
            + traffic("scoring", bankScore),
        String.format(
                Locale.ROOT,
                "求交：银行发送 %,d 字节，接收 %,d 字节",
                num(bankPsi, "bytes_sent"),
                num(bankPsi, "bytes_received"))
            + trafficZh("统计", bankStats)
            + trafficZh("训练", bankTrain)
            + trafficZh("评分", bankScore));
    long[] checks = {
      num(bankPsi, "input_rows"),
      num(bankPsi, "invalid_rows_skipped"),
      num(bankPsi, "duplicate_rows"),
      num(partnerPsi, "input_rows"),
      num(partnerPsi, "invalid_rows_skipped"),
      num(partnerPsi, "duplicate_rows")
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
      textRow(h, "Statistics: bank learned / 统计：银行获知", bankStats, "learned");
      textRow(h, "Statistics: partner learned / 统计：合作方获知", bankStats, "peer_learned");
      bilingualRow(
          h,
          "Small cells / 小单元格",
          "cells of fewer than " + bankStats.get("min_cell_size") + " shared customers are suppressed before decryption",
          "少于 " + bankStats.get("min_cell_size") + " 位共同客户的单元格在解密前即被抑制");
      if ("none".equals(bankStats.get("noise"))) {
        bilingualRow(
            h,
            "Noise / 噪声",
            "none (exact aggregates; repeated queries over segments that differ by a few customers can "
                + "reveal those customers' values: use --noise for repeated queries)",
            "无（精确聚合；对仅相差少数客户的客群重复查询可推出这些客户的数值，重复查询请使用 --noise）");
      } else {
        String noise = bankStats.get("noise") + ", total ε = " + bankStats.get("total_epsilon");
        bilingualRow(h, "Noise / 噪声", noise, "已加噪声：" + noise);
      }
    }
    if (bankTrain != null) {
      row(h, "Training: mode / 训练模式", String.valueOf(bankTrain.get("mode")));
      textRow(h, "Training: bank learned / 训练：银行获知", bankTrain, "learned");
      textRow(h, "Training: partner learned / 训练：合作方获知", bankTrain, "peer_learned");
    }
    if (bankScore != null) {
      textRow(h, "Scoring: bank learned / 评分：银行获知", bankScore, "learned");
      textRow(h, "Scoring: partner learned / 评分：合作方获知", bankScore, "peer_learned");
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
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The segment table: per bank segment, shared customers and the partner-side figures. */
  @SuppressWarnings("unchecked")
  private static void segments(StringBuilder h, Map<String, Object> stats) {
    java.util.List<String> groupBy = (java.util.List<String>) stats.get("group_by");
    java.util.List<String> numeric = (java.util.List<String>) stats.get("partner_numeric_columns");
    java.util.List<String> categorical = (java.util.List<String>) stats.get("partner_categorical_columns");
    h.append("<h2 id=\"segments\">Shared customers by bank segment <span class=\"zh\" lang=\"zh-CN\">按银行客群的共同客户画像</span></h2>\n");
    h.append("<p class=\"note\">Partner-side figures are aggregates over at least ")
        .append(stats.get("min_cell_size"))
        .append(" shared customers; the bank received no single customer's partner data (see the noise row below on repeated queries). ")
        .append("<span class=\"zh\" lang=\"zh-CN\">合作方数据仅以聚合形式呈现，银行未收到任何单个客户的合作方数据（重复查询见下方“噪声”一行）。</span></p>\n");
    h.append("<table id=\"segment-table\">\n<tr><th>")
        .append(esc(String.join(" / ", groupBy)))
        .append("</th><th>Shared customers <span class=\"zh\" lang=\"zh-CN\">共同客户</span></th>");
    for (String n : numeric) {
      h.append("<th>mean ").append(esc(n)).append(" <span class=\"zh\" lang=\"zh-CN\">均值</span></th>");
    }
    for (String c : categorical) {
      h.append("<th>top ").append(esc(c)).append(" <span class=\"zh\" lang=\"zh-CN\">最常见</span></th>");
    }
    h.append("</tr>\n");
    for (Object o : (java.util.List<Object>) stats.get("segments")) {
      Map<String, Object> seg = (Map<String, Object>) o;
      h.append("<tr><td>").append(esc(String.join(" / ", (java.util.List<String>) seg.get("key")))).append("</td>");
      if (Boolean.TRUE.equals(seg.get("suppressed"))) {
        h.append("<td colspan=\"").append(1 + numeric.size() + categorical.size())
            .append("\">suppressed: fewer than ").append(stats.get("min_cell_size"))
            .append(" shared customers <span class=\"zh\" lang=\"zh-CN\">人数过少，已抑制</span></td></tr>\n");
        continue;
      }
      long count = num(seg, "shared_customers");
      h.append(String.format(Locale.ROOT, "<td>%,d</td>", count));
      Map<String, Object> nums = (Map<String, Object>) seg.get("numeric");
      for (String n : numeric) {
        Object mean = ((Map<String, Object>) nums.get(n)).get("mean");
        h.append("<td>").append(mean instanceof Number x ? String.format(Locale.ROOT, "%.2f", x.doubleValue()) : "suppressed").append("</td>");
      }
      Map<String, Object> hists = (Map<String, Object>) seg.get("histograms");
      for (String c : categorical) {
        Map<String, Object> counts = (Map<String, Object>) hists.get(c);
        String best = null;
        long bestCount = -1;
        for (Map.Entry<String, Object> e : counts.entrySet()) {
          if (e.getValue() instanceof Number x && x.longValue() > bestCount) {
            best = e.getKey();
            bestCount = x.longValue();
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

  private static StringBuilder head() {
    StringBuilder h = new StringBuilder(16384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Jointly campaign report · 联合营销报告</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;")
        .append("margin:2rem auto;max-width:960px;color:#1d2733;line-height:1.45}\n")
        .append("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #e3e8ee;padding-bottom:.3rem;margin-top:2rem}\n")
        .append(".zh{color:#5b6b7c;font-weight:normal}.kpis{display:flex;gap:1rem;flex-wrap:wrap}\n")
        .append(".kpi{background:#f4f7fa;border-radius:8px;padding:.8rem 1.1rem;min-width:170px}\n")
        .append(".kpi b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%}\n")
        .append("td,th{border-bottom:1px solid #e3e8ee;padding:.4rem .5rem;text-align:left;vertical-align:top}\n")
        .append("th{background:#f4f7fa}.note{color:#5b6b7c;font-size:.9rem}\n</style>\n</head>\n<body>\n");
    return h;
  }

  /** A standalone page with the model evaluation of {@code jointly train --html}. */
  static String renderModel(Map<String, Object> bankTrain) {
    StringBuilder h = head();
    h.append("<h1>Jointly model report <span class=\"zh\" lang=\"zh-CN\">联合建模报告</span></h1>\n");
    model(h, bankTrain);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The model section: joint vs bank-only on the holdout, lift by decile, what leaked. */
  @SuppressWarnings("unchecked")
  static void model(StringBuilder h, Map<String, Object> train) {
    h.append("<h2 id=\"model\">Campaign-response model <span class=\"zh\" lang=\"zh-CN\">营销响应模型</span></h2>\n");
    h.append(String.format(
        Locale.ROOT,
        "<p>Trained on %,d shared customers (%,d for training, %,d for validation, %,d held out) with %d bank and %d partner "
            + "features, %d %s, mode <b>%s</b>. <span class=\"zh\" lang=\"zh-CN\">基于共同客户联合训练。</span></p>\n",
        num(train, "aligned_customers"), num(train, "train_rows"), num(train, "validation_rows"), num(train, "holdout_rows"),
        num(train, "bank_features"), num(train, "partner_features"), num(train, "epochs"),
        "lbfgs".equals(train.get("optimizer")) ? "L-BFGS iterations" : "epochs of mini-batch gradient descent",
        esc(String.valueOf(train.get("mode")))));
    Object ev = train.get("evaluation");
    if (!(ev instanceof Map)) {
      h.append("<p class=\"note\">Too few holdout customers of both classes for an evaluation. "
          + "<span class=\"zh\" lang=\"zh-CN\">留出集中响应与未响应客户过少，无法评估。</span></p>\n");
      return;
    }
    Map<String, Object> e = (Map<String, Object>) ev;
    Map<String, Object> joint = (Map<String, Object>) e.get("joint");
    Map<String, Object> bankOnly = (Map<String, Object>) e.get("bank_only");
    h.append("<div class=\"kpis\">")
        .append(kpiPair("Holdout AUC", "AUC", dbl(joint, "auc"), dbl(bankOnly, "auc"), "%.3f"))
        .append(kpiPair("KS", "KS", dbl(joint, "ks"), dbl(bankOnly, "ks"), "%.3f"))
        .append(kpiPair("Top-decile lift", "前10%提升度", dbl(joint, "top_decile_lift"), dbl(bankOnly, "top_decile_lift"), "%.2f×"))
        .append("</div>\n");
    h.append("<p class=\"note\">Each figure: joint model (bank + partner data) vs a bank-only model trained the same way on the bank's "
        + "features alone, on the same held-out customers. <span class=\"zh\" lang=\"zh-CN\">联合模型与仅用银行数据的模型在同一留出集上的对比。</span></p>\n");
    h.append("<p class=\"note\">AUC: the chance that the model ranks a random responder above a random non-responder (0.5 is "
        + "guessing, 1 is perfect). KS: the largest gap between the shares of responders and of non-responders reached "
        + "down the ranking. Lift: a group's response rate divided by the average rate. <span class=\"zh\" lang=\"zh-CN\">AUC：模型把随机一个响应客户排在随机一个"
        + "未响应客户之前的概率（0.5 为随机，1 为完美）。KS：沿排序累计的响应与未响应客户占比之差的最大值。提升度：某组响应率除以平均响应率。</span></p>\n");
    List<Map<String, Object>> dj = (List<Map<String, Object>>) joint.get("deciles");
    List<Map<String, Object>> db = (List<Map<String, Object>>) bankOnly.get("deciles");
    h.append(reach(dj, db, dbl(joint, "positives")));
    long holdout = dj.stream().mapToLong(d -> num(d, "rows")).sum();
    h.append(String.format(
        Locale.ROOT,
        "<p class=\"note\">Measured on %,d held-out customers with %s responders (%.1f %%): with so few responders the "
            + "figures above are estimates with a wide margin; expect the campaign list to reach a similar share of "
            + "responders, not these exact counts. Scores are for ranking: a model trained with class weights for rare "
            + "responders (the CLI's default) overstates each customer's response probability. "
            + "<span class=\"zh\" lang=\"zh-CN\">基于 %,d 位留出客户（其中 %s 位响应，%.1f %%）测算；响应客户少，以上数字误差较大。"
            + "评分仅用于排序：按类别加权训练的模型（命令行默认）会高估单个客户的响应概率。</span></p>\n",
        holdout, responders(dbl(joint, "positives")), 100 * dbl(joint, "positives") / Math.max(1, holdout),
        holdout, responders(dbl(joint, "positives")), 100 * dbl(joint, "positives") / Math.max(1, holdout)));
    h.append(rocChart((List<List<Number>>) joint.get("roc"), (List<List<Number>>) bankOnly.get("roc")));
    h.append(liftChart(dj, db));
    h.append("<table id=\"deciles\">\n<tr><th>Decile <span class=\"zh\" lang=\"zh-CN\">十分位</span></th><th>Customers <span class=\"zh\" lang=\"zh-CN\">客户数</span></th>"
        + "<th>Responders (joint) <span class=\"zh\" lang=\"zh-CN\">响应数（联合）</span></th><th>Response rate (joint) <span class=\"zh\" lang=\"zh-CN\">响应率（联合）</span></th>"
        + "<th>Lift (joint) <span class=\"zh\" lang=\"zh-CN\">提升度（联合）</span></th><th>Lift (bank-only) <span class=\"zh\" lang=\"zh-CN\">提升度（仅银行）</span></th>"
        + "<th>Cumulative gain (joint) <span class=\"zh\" lang=\"zh-CN\">累计响应占比（联合）</span></th>"
        + "<th>Cumulative gain (bank-only) <span class=\"zh\" lang=\"zh-CN\">累计响应占比（仅银行）</span></th></tr>\n");
    for (int i = 0; i < dj.size(); i++) {
      Map<String, Object> d = dj.get(i);
      h.append(String.format(
          Locale.ROOT,
          "<tr><td>%d</td><td>%,d</td><td>%s</td><td>%.1f %%</td><td>%.2f</td><td>%.2f</td><td>%.1f %%</td><td>%.1f %%</td></tr>\n",
          num(d, "decile"), num(d, "rows"), responders(dbl(d, "positives")), 100 * dbl(d, "response_rate"), dbl(d, "lift"),
          dbl(db.get(i), "lift"), 100 * dbl(d, "cumulative_gain"), 100 * dbl(db.get(i), "cumulative_gain")));
    }
    h.append("</table>\n<p class=\"note\">Decile 1 holds the best-ranked tenth of the held-out customers. Customers with tied "
        + "scores that straddle two deciles count in each in proportion, hence the occasional fractional responder count. "
        + "<span class=\"zh\" lang=\"zh-CN\">第1十分位为排序最靠前的10%留出客户；跨十分位的同分客户按比例计入，故响应数可能带小数。</span></p>\n");
    Object ivs = train.get("partner_information_value");
    if (ivs instanceof List<?> list && !list.isEmpty()) {
      List<Map<String, Object>> sorted = new java.util.ArrayList<>((List<Map<String, Object>>) list);
      sorted.sort((a, b) -> Double.compare(dbl(b, "iv"), dbl(a, "iv")));
      h.append("<h3 id=\"information-value\">Partner features by information value <span class=\"zh\" lang=\"zh-CN\">合作方特征信息值</span></h3>\n");
      h.append("<table>\n<tr><th>Partner feature <span class=\"zh\" lang=\"zh-CN\">特征</span></th><th>IV</th><th>Strength <span class=\"zh\" lang=\"zh-CN\">预测力</span></th></tr>\n");
      for (Map<String, Object> f : sorted) {
        double v = dbl(f, "iv");
        String strength = v < 0.02 ? zh("not useful", "无") : v < 0.1 ? zh("weak", "弱") : v < 0.3 ? zh("medium", "中") : zh("strong", "强");
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td><td>%s</td></tr>\n", esc(String.valueOf(f.get("feature"))), v, strength));
      }
      Object minBin = train.get("iv_min_bin_size");
      h.append("</table>\n<p class=\"note\">Computed from the number of bank responders per partner bin, obtained under encryption; ")
          .append(minBin != null ? "bins of fewer than " + esc(String.valueOf(minBin)) + " training customers" : "small bins")
          .append(" are withheld. Bin boundaries stay with the partner. ")
          .append("<span class=\"zh\" lang=\"zh-CN\">根据加密状态下获得的合作方各分箱中的银行响应客户数计算；")
          .append(minBin != null ? "少于 " + esc(String.valueOf(minBin)) + " 位训练客户的分箱" : "过小的分箱")
          .append("不予公布。分箱边界只保留在合作方。</span></p>\n");
    }
    h.append("<table>\n");
    textRow(h, "Bank learned / 银行获知", train, "learned");
    textRow(h, "Partner learned / 合作方获知", train, "peer_learned");
    textRow(h, "Alignment / 对齐", train, "alignment");
    h.append("</table>\n");
  }

  /** Expected responders when contacting the top 10 % and 20 % of the ranked customers. */
  private static String reach(List<Map<String, Object>> joint, List<Map<String, Object>> bankOnly, double positives) {
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
        rows += num(joint.get(d), "rows");
        pj += dbl(joint.get(d), "positives");
        pb += dbl(bankOnly.get(d), "positives");
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
  private static String rocChart(List<List<Number>> joint, List<List<Number>> bankOnly) {
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

  private static String polyline(List<List<Number>> points, int size, String colour) {
    StringBuilder p = new StringBuilder("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + colour + "\" points=\"");
    for (List<Number> pt : points) {
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
  private static String liftChart(List<Map<String, Object>> joint, List<Map<String, Object>> bankOnly) {
    double max = 1;
    for (int i = 0; i < joint.size(); i++) {
      max = Math.max(max, Math.max(dbl(joint.get(i), "lift"), dbl(bankOnly.get(i), "lift")));
    }
    int height = 180;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"lift-chart\" role=\"img\" aria-label=\"lift by decile\" width=\"640\" height=\"230\" ")
        .append("viewBox=\"0 0 640 230\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (int i = 0; i < joint.size(); i++) {
      int x = 40 + i * 60;
      int hj = (int) Math.round(height * dbl(joint.get(i), "lift") / max);
      int hb = (int) Math.round(height * dbl(bankOnly.get(i), "lift") / max);
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

  private static double dbl(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : 0;
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

  /** "; step: sent …, received …" for a step that ran (non-null report), else nothing. */
  private static String traffic(String step, Map<String, Object> report) {
    return report == null
        ? ""
        : String.format(
            Locale.ROOT, "; %s: sent %,d, received %,d", step, num(report, "bytes_sent"), num(report, "bytes_received"));
  }

  private static String trafficZh(String step, Map<String, Object> report) {
    return report == null
        ? ""
        : String.format(
            Locale.ROOT, "；%s：发送 %,d，接收 %,d", step, num(report, "bytes_sent"), num(report, "bytes_received"));
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

  /**
   * A row with the English text under {@code key} of a report and, if the report has it, the
   * Chinese under {@code key_zh} beside it (reports written before the Chinese was added have none).
   */
  private static void textRow(StringBuilder h, String label, Map<String, Object> report, String key) {
    Object zh = report.get(key + ReportText.ZH_SUFFIX);
    bilingualRow(h, label, String.valueOf(report.get(key)), zh == null ? null : String.valueOf(zh));
  }

  /** A row with English text and, unless {@code zh} is null, the Chinese beside it. */
  private static void bilingualRow(StringBuilder h, String label, String en, String zh) {
    h.append("<tr><td>").append(esc(label)).append("</td><td>").append(esc(en));
    if (zh != null) {
      h.append(" · <span class=\"zh\" lang=\"zh-CN\">").append(esc(zh)).append("</span>");
    }
    h.append("</td></tr>\n");
  }

  private static long num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.longValue() : 0;
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
