package io.jointly.cli;

import io.jointly.compliance.AuditRecord;
import io.jointly.compliance.Learned;
import io.jointly.compliance.PartyOutcome;
import io.jointly.compliance.PartyStatement;
import io.jointly.compliance.Purpose;
import io.jointly.compliance.ReceiptBody;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTML summary of an audit log for a compliance officer ({@code jointly audit report}), in
 * English and Chinese: runs per peer, purpose and month with the records used, then every run with
 * what each side learned (counts, never values) and its receipt digest. Rendered from the log's
 * typed entries; months and times are UTC.
 */
final class AuditReport {
  private AuditReport() {}

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** What the counts of receipts mean, in both languages; other names are shown as they are. */
  static final Map<String, ReportText> COUNTS =
      Map.ofEntries(
          Map.entry("intersection_size", new ReportText("shared identifiers", "共同标识数")),
          Map.entry("peer_set_size", new ReportText("peer's set size", "对方集合规模")),
          Map.entry("shared_rows", new ReportText("own shared rows", "自身共同记录数")),
          Map.entry("segments", new ReportText("segments", "客群数")),
          Map.entry("segments_released", new ReportText("segments released", "公布的客群数")),
          Map.entry("partner_columns", new ReportText("partner columns described", "合作方描述列数")),
          Map.entry("bank_segments", new ReportText("bank's segments", "银行客群数")),
          Map.entry("aligned_customers", new ReportText("aligned customers", "对齐客户数")),
          Map.entry("epochs", new ReportText("epochs", "训练轮数")),
          Map.entry("partner_features", new ReportText("partner's encoded features", "合作方编码特征数")),
          Map.entry("partner_features_with_iv", new ReportText("partner features with information value", "计算信息值的合作方特征数")),
          Map.entry("scored_customers", new ReportText("scored customers", "评分客户数")),
          Map.entry("included_clients", new ReportText("clients included in the sum", "纳入求和的客户端数")),
          Map.entry("dropped_clients", new ReportText("clients dropped", "退出的客户端数")),
          Map.entry("summed_values", new ReportText("summed values", "求和数值个数")));

  /** One group of the summary: runs with one peer for one purpose in one month. */
  private static final class Group {
    int completed;
    int failed;
    int refused;
    long ownRecords;
    long peerRecords;
    final java.util.TreeSet<String> commands = new java.util.TreeSet<>();
  }

  static String render(String logName, List<AuditRecord> records, boolean verified) {
    StringBuilder h = HtmlReport.head("Jointly audit report · 审计报告");
    h.append("<h1>Audit report <span class=\"zh\" lang=\"zh-CN\">审计报告</span>: ").append(HtmlReport.esc(logName)).append("</h1>\n");
    h.append("<p class=\"note\">")
        .append(
            verified
                ? "Verified against the CA: every line is in its place in the chain, sealed by the log's keeper, and its receipt's signatures and certificates check out. "
                    + "<span class=\"zh\" lang=\"zh-CN\">已按 CA 校验：每行均在哈希链中的正确位置、由日志保管方封签，回执的签名与证书均有效。</span>"
                : "Not verified (run with --ca to check the chain, the signatures and the certificates). "
                    + "<span class=\"zh\" lang=\"zh-CN\">未校验（加 --ca 以校验哈希链、签名与证书）。</span>")
        .append(" Times and months are UTC. <span class=\"zh\" lang=\"zh-CN\">时间与月份均为协调世界时（UTC）。</span></p>\n");

    TreeMap<String, Group> groups = new TreeMap<>();
    for (AuditRecord r : records) {
      ReceiptBody b = r.receipt().body();
      PartyStatement own = b.party(r.owner()).statement();
      PartyStatement peer = b.other(r.owner()).statement();
      String key = peer.party() + "\u0000" + campaign(own) + "\u0000" + MONTH.format(own.start());
      Group g = groups.computeIfAbsent(key, k -> new Group());
      switch (b.status()) {
        case COMPLETED, UNILATERAL -> g.completed++;
        case FAILED -> g.failed++;
        case REFUSED -> g.refused++;
      }
      if (b.status() != ReceiptBody.Status.REFUSED) {
        g.ownRecords += own.terms().inputRows();
        g.peerRecords += peer.terms().inputRows();
      }
      g.commands.add(own.terms().command());
    }
    h.append("<h2 id=\"summary\">Runs per peer, purpose and month <span class=\"zh\" lang=\"zh-CN\">按对方、用途和月份统计的运行</span></h2>\n");
    h.append("<table id=\"summary-table\">\n<tr><th>Peer <span class=\"zh\" lang=\"zh-CN\">对方</span></th>"
        + "<th>Purpose <span class=\"zh\" lang=\"zh-CN\">用途</span></th><th>Month <span class=\"zh\" lang=\"zh-CN\">月份</span></th>"
        + "<th>Commands <span class=\"zh\" lang=\"zh-CN\">命令</span></th>"
        + "<th>Completed <span class=\"zh\" lang=\"zh-CN\">完成</span></th><th>Failed <span class=\"zh\" lang=\"zh-CN\">失败</span></th>"
        + "<th>Refused <span class=\"zh\" lang=\"zh-CN\">拒绝</span></th>"
        + "<th>Own records used <span class=\"zh\" lang=\"zh-CN\">自身使用记录数</span></th>"
        + "<th>Peer's records <span class=\"zh\" lang=\"zh-CN\">对方记录数</span></th></tr>\n");
    groups.forEach(
        (key, g) -> {
          String[] k = key.split("\u0000", -1);
          h.append(String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td></tr>%n",
              HtmlReport.esc(k[0]), HtmlReport.esc(k[1]), k[2], HtmlReport.esc(String.join(", ", g.commands)),
              g.completed, g.failed, g.refused, g.ownRecords, g.peerRecords));
        });
    h.append("</table>\n<p class=\"note\">Records used: the input rows of runs that went ahead (completed or failed after the"
        + " agreement), the figure a policy's max_records limit counts. Refused runs moved no data. "
        + "<span class=\"zh\" lang=\"zh-CN\">使用记录数：已开始运行（完成或在约定后失败）的输入行数，即策略 max_records 限额所计之数；被拒绝的运行未传输任何数据。</span></p>\n");

    h.append("<h2 id=\"purposes\">Purposes <span class=\"zh\" lang=\"zh-CN\">用途</span></h2>\n");
    h.append("<table id=\"purpose-table\">\n<tr><th>Campaign <span class=\"zh\" lang=\"zh-CN\">项目</span></th>"
        + "<th>Purpose <span class=\"zh\" lang=\"zh-CN\">用途说明</span></th>"
        + "<th>Legal basis <span class=\"zh\" lang=\"zh-CN\">合法性基础</span></th>"
        + "<th>Runs <span class=\"zh\" lang=\"zh-CN\">运行次数</span></th></tr>\n");
    TreeMap<String, Integer> runsPerPurpose = new TreeMap<>();
    TreeMap<String, PartyStatement> purposeOf = new TreeMap<>();
    for (AuditRecord r : records) {
      PartyStatement own = r.receipt().body().party(r.owner()).statement();
      String key = own.terms().purpose().map(p -> p.campaign() + "\u0000" + p.text() + "\u0000" + p.legalBasis().token()).orElse("");
      runsPerPurpose.merge(key, 1, Integer::sum);
      purposeOf.putIfAbsent(key, own);
    }
    runsPerPurpose.forEach(
        (key, n) -> {
          java.util.Optional<Purpose> p = purposeOf.get(key).terms().purpose();
          h.append(String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td>%s</td><td>%s</td><td>%,d</td></tr>%n",
              HtmlReport.esc(p.map(Purpose::campaign).orElse("(none)")),
              p.map(x -> HtmlReport.esc(x.text())).orElse("no purpose stated <span class=\"zh\" lang=\"zh-CN\">未声明用途</span>"),
              p.map(x -> HtmlReport.esc(x.legalBasis().token())).orElse("—"),
              n));
        });
    h.append("</table>\n");

    h.append("<h2 id=\"runs\">Every run <span class=\"zh\" lang=\"zh-CN\">全部运行</span></h2>\n");
    h.append("<div class=\"wide\"><table id=\"run-table\">\n<tr><th>#</th><th>Start (UTC) <span class=\"zh\" lang=\"zh-CN\">开始</span></th>"
        + "<th>Command <span class=\"zh\" lang=\"zh-CN\">命令</span></th><th>Peer <span class=\"zh\" lang=\"zh-CN\">对方</span></th>"
        + "<th>Purpose <span class=\"zh\" lang=\"zh-CN\">用途</span></th><th>Outcome <span class=\"zh\" lang=\"zh-CN\">结果</span></th>"
        + "<th>Records (own / peer) <span class=\"zh\" lang=\"zh-CN\">记录数（自身／对方）</span></th>"
        + "<th>This party learned <span class=\"zh\" lang=\"zh-CN\">本方获知</span></th>"
        + "<th>The peer learned <span class=\"zh\" lang=\"zh-CN\">对方获知</span></th>"
        + "<th>Policy <span class=\"zh\" lang=\"zh-CN\">策略</span></th>"
        + "<th>Receipt <span class=\"zh\" lang=\"zh-CN\">回执</span></th></tr>\n");
    for (AuditRecord r : records) {
      ReceiptBody b = r.receipt().body();
      ReceiptBody.ReceiptParty own = b.party(r.owner());
      ReceiptBody.ReceiptParty peer = b.other(r.owner());
      h.append(String.format(
          Locale.ROOT,
          "<tr><td>%d</td><td>%s</td><td>%s (%s, %s)</td><td>%s</td><td>%s</td><td>%s</td><td>%,d / %,d</td><td>%s</td><td>%s</td><td>%s</td><td><code>%s…</code></td></tr>%n",
          r.sequence(),
          TIME.format(own.statement().start()),
          HtmlReport.esc(own.statement().terms().command()),
          HtmlReport.esc(own.statement().terms().protocol()),
          HtmlReport.esc(own.statement().terms().reveal()),
          HtmlReport.esc(peer.name()),
          HtmlReport.esc(campaign(own.statement())),
          outcome(b),
          own.statement().terms().inputRows(),
          peer.statement().terms().inputRows(),
          learned(own.outcome()),
          learned(peer.outcome()),
          r.policy().map(p -> HtmlReport.esc(p.policy() + " / " + p.grant())).orElse("—"),
          r.receipt().digest().toHex().substring(0, 16)));
    }
    h.append("</table></div>\n<p class=\"note\">What each side learned is its own signed account, as counts: never a customer identifier"
        + " or a data value. A failed or refused run has a receipt of this party alone, and so has a psi-ic run (the"
        + " interconnection standard leaves no room for the agreement: the peer's part is this party's account). "
        + "<span class=\"zh\" lang=\"zh-CN\">各方获知的内容为其自行签署的计数说明，绝不包含客户标识或数据值。失败或被拒绝的运行只有本方的单方回执；"
        + "psi-ic 运行亦然（互联互通标准无运行约定环节，对方一栏为本方的记述）。</span></p>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static String campaign(PartyStatement s) {
    return s.terms().purpose().map(Purpose::campaign).orElse("(none)");
  }

  private static String outcome(ReceiptBody b) {
    String status =
        switch (b.status()) {
          case COMPLETED -> "completed, signed by both <span class=\"zh\" lang=\"zh-CN\">完成，双方签署</span>";
          case FAILED -> "failed <span class=\"zh\" lang=\"zh-CN\">失败</span>";
          case REFUSED -> "refused <span class=\"zh\" lang=\"zh-CN\">拒绝</span>";
          case UNILATERAL -> "completed, signed by this party alone (the protocol carries no agreement)"
              + " <span class=\"zh\" lang=\"zh-CN\">完成，仅本方签署（该协议无运行约定）</span>";
        };
    return b.detail().isEmpty() ? status : status + ": " + HtmlReport.esc(b.detail());
  }

  private static String learned(Optional<PartyOutcome> outcome) {
    if (outcome.isEmpty()) {
      return "—";
    }
    Learned l = outcome.get().learned();
    if (l.counts().isEmpty()) {
      return "nothing <span class=\"zh\" lang=\"zh-CN\">无</span>";
    }
    List<String> parts = new ArrayList<>();
    l.counts().forEach(
        (k, v) -> {
          ReportText t = COUNTS.get(k);
          parts.add(
              (t == null ? HtmlReport.esc(k) : t.en() + " <span class=\"zh\" lang=\"zh-CN\">" + t.zh() + "</span>")
                  + String.format(Locale.ROOT, ": %,d", v));
        });
    return String.join("; ", parts);
  }
}
