package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jointly.cli.CliProcess.Result;
import io.jointly.compliance.AuditRecord;
import io.jointly.psi.IdentifierProfile;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jointly demo} on 2,000 customers: it succeeds, its outputs agree with each other and with
 * the plain intersection of the generated files, and its HTML report is well formed and
 * self-contained (checked structurally here, and rendered in headless Chromium where {@code
 * chromium} is installed).
 */
class DemoCommandTest {
  @TempDir static Path out;

  private static Result demo;
  private static JsonNode bankReport;
  private static JsonNode partnerReport;
  private static String html;

  @BeforeAll
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  static void runDemo() throws IOException {
    demo =
        CliProcess.runInProcess("demo", "--customers", "2000", "--out", out.toString(), "--quiet");
    assertThat(demo.exitCode()).as(demo.describe()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    bankReport = mapper.readTree(out.resolve("bank-psi.json").toFile());
    partnerReport = mapper.readTree(out.resolve("partner-psi.json").toFile());
    html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_2000Customers_exitsZeroAndWritesEveryOutput() throws IOException {
    assertThat(demo.exitCode()).isZero();
    for (String f :
        List.of(
            "data/bank.csv",
            "data/partner.csv",
            "tls/ca.crt",
            "tls/bank.crt",
            "tls/bank.key",
            "tls/partner.crt",
            "tls/partner.key",
            "bank-shared.csv",
            "partner-shared.csv",
            "bank-psi.json",
            "partner-psi.json",
            "bank-segments.csv",
            "bank-stats.json",
            "partner-stats.json",
            "bank-train.json",
            "partner-train.json",
            "model-bank/model.json",
            "model-partner/model.json",
            "model.html",
            "bank-scores.csv",
            "bank-score.json",
            "campaign.csv",
            "bank-policy.json",
            "partner-policy.json",
            "bank-audit.log",
            "partner-audit.log",
            "bank-audit.html",
            "report.html")) {
      assertThat(out.resolve(f)).as(f).isRegularFile().isNotEmptyFile();
    }
    try (Stream<Path> all = Files.walk(out)) {
      assertThat(all.map(Path::toString))
          .as("temporary files left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(bankReport.get("reveal_mode").asText()).isEqualTo("both");
    assertThat(bankReport.get("own_size").asLong()).isEqualTo(2000);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_tooFewCustomers_isAUsageErrorBeforeAnyStep(@TempDir Path dir) {
    Result r = CliProcess.runInProcess("demo", "--customers", "100", "--out", dir.resolve("d").toString(), "--quiet");
    assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
    assertThat(r.stderr()).contains("--customers must be at least 500");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_sharedFiles_holdOneRowPerSharedCustomerAsThePlainIntersection() throws Exception {
    CsvTable bank = CsvTable.read(out.resolve("data/bank.csv"), (char) 0);
    CsvTable partner = CsvTable.read(out.resolve("data/partner.csv"), (char) 0);
    Set<String> bankIds = normalized(bank, "mobile");
    Set<String> partnerIds = normalized(partner, "phone");
    Set<String> shared = new HashSet<>(bankIds);
    shared.retainAll(partnerIds);

    long intersection = bankReport.get("intersection_size").asLong();
    assertThat(intersection).isEqualTo(shared.size()).isEqualTo(800); // 40 % of 2,000
    assertThat(partnerReport.get("intersection_size").asLong()).isEqualTo(intersection);
    assertThat(bankReport.get("peer_size").asLong()).isEqualTo(partnerIds.size());

    CsvTable bankShared = CsvTable.read(out.resolve("bank-shared.csv"), (char) 0);
    CsvTable partnerShared = CsvTable.read(out.resolve("partner-shared.csv"), (char) 0);
    assertThat(bankShared.rowCount()).isEqualTo(intersection);
    assertThat(partnerShared.rowCount()).isEqualTo(intersection);
    assertThat(bankShared.header()).isEqualTo(bank.header());
    assertThat(normalized(bankShared, "mobile")).isEqualTo(shared);
    assertThat(normalized(partnerShared, "phone")).isEqualTo(shared);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_segmentTable_equalsThePlainGroupedComputationOverTheJoinedFiles() throws Exception {
    CsvTable bank = CsvTable.read(out.resolve("data/bank.csv"), (char) 0);
    CsvTable partner = CsvTable.read(out.resolve("data/partner.csv"), (char) 0);
    Map<String, String[]> partnerByPhone = new HashMap<>();
    for (int r = 0; r < partner.rowCount(); r++) {
      String phone = partner.row(r)[partner.column("phone")];
      partnerByPhone.put(IdentifierProfile.PHONE.normalize(phone).orElseThrow(), partner.row(r));
    }
    Map<String, long[]> expected = new HashMap<>(); // stage -> {count, order_frequency sum, travel sum}
    for (int r = 0; r < bank.rowCount(); r++) {
      String[] row = bank.row(r);
      String[] p = partnerByPhone.get(IdentifierProfile.PHONE.normalize(row[bank.column("mobile")]).orElseThrow());
      long[] e = expected.computeIfAbsent(row[bank.column("lifecycle_stage")], k -> new long[3]);
      if (p != null) {
        e[0]++;
        e[1] += Math.min(60, Long.parseLong(p[partner.column("order_frequency")]));
        e[2] += Math.min(24, Long.parseLong(p[partner.column("travel_frequency")]));
      }
    }
    CsvTable table = CsvTable.read(out.resolve("bank-segments.csv"), (char) 0);
    assertThat(table.rowCount()).isEqualTo(expected.size());
    for (int r = 0; r < table.rowCount(); r++) {
      String[] row = table.row(r);
      long[] e = expected.get(row[table.column("lifecycle_stage")]);
      if (e[0] < 20) {
        assertThat(row[table.column("shared_customers")]).isEqualTo("suppressed");
        continue;
      }
      assertThat(Long.parseLong(row[table.column("shared_customers")])).isEqualTo(e[0]);
      assertThat(Double.parseDouble(row[table.column("order_frequency_sum")])).isEqualTo(e[1]);
      assertThat(Double.parseDouble(row[table.column("travel_frequency_sum")])).isEqualTo(e[2]);
    }
    assertThat(html).contains("id=\"segment-table\"");
    JsonNode stats = new ObjectMapper().readTree(out.resolve("bank-stats.json").toFile());
    assertThat(stats.get("segments").size()).isEqualTo(expected.size());
    assertThat(stats.get("psi").get("intersection_size").asLong()).isEqualTo(bankReport.get("intersection_size").asLong());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_models_eachPartyHoldsOnlyItsOwnAndThePartnersMentionsNoLabel() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode bankModel = mapper.readTree(out.resolve("model-bank/model.json").toFile());
    JsonNode partnerModel = mapper.readTree(out.resolve("model-partner/model.json").toFile());
    assertThat(bankModel.get("role").asText()).isEqualTo("bank");
    assertThat(bankModel.has("intercept")).isTrue();
    assertThat(partnerModel.get("role").asText()).isEqualTo("partner");
    assertThat(partnerModel.has("intercept")).isFalse();
    String partnerText = Files.readString(out.resolve("model-partner/model.json"));
    assertThat(partnerText).doesNotContain("responded").doesNotContain("aum_tier").doesNotContain("lifecycle_stage");
    assertThat(Files.readString(out.resolve("model-bank/model.json"))).doesNotContain("order_frequency").doesNotContain("category_pref");
    assertThat(bankModel.get("weights").size()).isEqualTo(bankModel.get("weight_names").size());

    JsonNode train = mapper.readTree(out.resolve("bank-train.json").toFile());
    assertThat(train.get("mode").asText()).isEqualTo("secret-shared");
    assertThat(train.get("sigmoid_choice").asText()).isEqualTo("auto");
    assertThat(train.get("sigmoid").asText()).isIn("standard", "wide");
    // The demo opens the per-epoch loss (both parties pass --epoch-loss): one entry per epoch, falling.
    JsonNode history = train.get("history");
    assertThat(history).hasSize(train.get("epochs").asInt());
    assertThat(history.get(history.size() - 1).get("train_objective").asDouble())
        .isLessThan(history.get(0).get("train_objective").asDouble());
    assertThat(train.get("learned").asText()).contains("training loss of each epoch");
    assertThat(train.get("learned").asText()).contains("nothing per customer or per step during training");
    assertThat(train.get("aligned_customers").asLong()).isEqualTo(bankReport.get("intersection_size").asLong());
    JsonNode eval = train.get("evaluation");
    assertThat(eval.get("joint").get("auc").asDouble()).isBetween(0.5, 1.0);
    assertThat(eval.get("joint").get("deciles")).hasSize(10);
    assertThat(html).contains("id=\"lift-chart\"").contains("id=\"deciles\"").contains("id=\"roc-chart\"").contains("id=\"reach\"");
    assertThat(eval.get("joint").get("roc").size()).isGreaterThan(2);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void demo_campaignList_isTheTopDecileOfTheRankedSharedCustomers() throws Exception {
    CsvTable scores = CsvTable.read(out.resolve("bank-scores.csv"), (char) 0);
    CsvTable campaign = CsvTable.read(out.resolve("campaign.csv"), (char) 0);
    long shared = bankReport.get("intersection_size").asLong();
    assertThat(scores.rowCount()).isEqualTo(shared);
    assertThat(campaign.rowCount()).isEqualTo((int) Math.ceil(shared / 10.0));
    double previous = Double.POSITIVE_INFINITY;
    for (int r = 0; r < scores.rowCount(); r++) {
      double p = Double.parseDouble(scores.row(r)[1]);
      assertThat(p).isBetween(0.0, 1.0).isLessThanOrEqualTo(previous);
      previous = p;
    }
    CsvTable bankShared = CsvTable.read(out.resolve("bank-shared.csv"), (char) 0);
    Set<String> sharedCustomers = new HashSet<>(bankShared.columnValues(bankShared.column("customer_no")));
    for (int r = 0; r < campaign.rowCount(); r++) {
      assertThat(campaign.row(r)[1]).isEqualTo(scores.row(r)[0]);
      assertThat(sharedCustomers).contains(campaign.row(r)[1]);
    }
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void report_isWellFormedSelfContainedAndShowsTheReportedNumbers() {
    List<Tag> tags = wellFormedTags(html);

    // Nothing is fetched from anywhere: no external src/href, no external CSS.
    for (Tag t : tags) {
      for (String attribute :
          List.of("src", "href", "xlink:href", "action", "data", "poster", "srcset")) {
        String v = t.attributes().get(attribute);
        if (v != null) {
          assertThat(v.trim().toLowerCase(Locale.ROOT))
              .as("<%s %s>", t.name(), attribute)
              .matches("^(#|data:).*");
        }
      }
      assertThat(t.name()).isNotIn("script", "link", "iframe", "object", "embed", "base");
    }
    assertThat(html.toLowerCase(Locale.ROOT))
        .doesNotContain("@import")
        .doesNotContainPattern("url\\(\\s*['\"]?(?!data:)");

    // One document, with the chart and the compliance section, and unique ids.
    assertThat(tags.stream().filter(t -> !t.closing() && t.name().equals("html"))).hasSize(1);
    assertThat(tags.stream().filter(t -> !t.closing() && t.name().equals("body"))).hasSize(1);
    List<String> ids =
        tags.stream().map(t -> t.attributes().get("id")).filter(id -> id != null).toList();
    assertThat(ids).doesNotHaveDuplicates().contains("overlap-chart", "compliance");
    Tag svg =
        tags.stream()
            .filter(t -> "overlap-chart".equals(t.attributes().get("id")))
            .findFirst()
            .orElseThrow();
    assertThat(svg.name()).isEqualTo("svg");
    List<Integer> bars =
        tags.stream()
            .filter(t -> t.name().equals("rect"))
            .map(t -> Integer.parseInt(t.attributes().get("width")))
            .toList();
    assertThat(bars.subList(0, 3)).hasSize(3); // the overlap chart's bars come first
    bars = bars.subList(0, 3);
    assertThat(bars.get(2))
        .as("shared bar")
        .isPositive()
        .isLessThan(bars.get(0))
        .isLessThan(bars.get(1));

    // The numbers of the JSON reports, as a reader sees them.
    long bankSize = bankReport.get("own_size").asLong();
    long partnerSize = partnerReport.get("own_size").asLong();
    long shared = bankReport.get("intersection_size").asLong();
    assertThat(html)
        .contains("<b>" + grouped(bankSize) + "</b>")
        .contains("<b>" + grouped(partnerSize) + "</b>")
        .contains("<b>" + grouped(shared) + "</b>")
        .contains(String.format(Locale.ROOT, "%.1f %%", 100.0 * shared / bankSize));
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    assertThat(compliance)
        .contains(bankReport.get("suite").asText())
        .contains(bankReport.get("reveal_mode").asText())
        .contains(HtmlReport.esc(bankReport.get("learned").asText()))
        .contains(HtmlReport.esc(partnerReport.get("learned").asText()))
        .contains("bank sent " + grouped(bankReport.get("bytes_sent").asLong()) + " bytes")
        .contains("received " + grouped(bankReport.get("bytes_received").asLong()) + " bytes");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void reports_sayWhatEachPartyLearnedInEnglishAndChinese_andTheHtmlShowsBoth() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    String compliance = html.substring(html.indexOf("id=\"compliance\""));
    for (String f :
        List.of(
            "bank-psi.json",
            "partner-psi.json",
            "bank-stats.json",
            "partner-stats.json",
            "bank-train.json",
            "partner-train.json",
            "bank-score.json")) {
      JsonNode report = mapper.readTree(out.resolve(f).toFile());
      for (String key : List.of("learned", "peer_learned")) {
        assertThat(report.get(key).asText()).as(f + " " + key).isNotBlank();
        assertThat(report.get(key + "_zh").asText())
            .as(f + " " + key + "_zh")
            .containsPattern("\\p{IsHan}{4}")
            .doesNotContainPattern("[A-Za-z]{4}"); // Chinese, not English left untranslated
      }
    }
    JsonNode bankStats = mapper.readTree(out.resolve("bank-stats.json").toFile());
    JsonNode bankTrain = mapper.readTree(out.resolve("bank-train.json").toFile());
    JsonNode bankScore = mapper.readTree(out.resolve("bank-score.json").toFile());
    for (JsonNode r : List.of(bankReport, bankStats, bankTrain, bankScore)) {
      assertThat(compliance)
          .contains("<span class=\"zh\" lang=\"zh-CN\">" + HtmlReport.esc(r.get("learned_zh").asText()) + "</span>");
    }
    assertThat(compliance)
        .contains(HtmlReport.esc(partnerReport.get("learned_zh").asText()))
        .contains(HtmlReport.esc(bankStats.get("peer_learned_zh").asText()))
        .contains(HtmlReport.esc(bankTrain.get("peer_learned_zh").asText()))
        .contains(HtmlReport.esc(bankScore.get("peer_learned_zh").asText()));
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void everyStep_ranForThePurpose_underBothPolicies_withOneReceiptBothPartiesSigned() throws Exception {
    List<AuditRecord> bankLog = AuditCommand.verified(out.resolve("bank-audit.log"), AuditCommand.roots(out.resolve("tls/ca.crt")));
    List<AuditRecord> partnerLog =
        AuditCommand.verified(out.resolve("partner-audit.log"), AuditCommand.roots(out.resolve("tls/ca.crt")));
    assertThat(bankLog).hasSize(4);
    assertThat(bankLog).extracting(r -> r.receipt()).isEqualTo(partnerLog.stream().map(AuditRecord::receipt).toList());
    assertThat(bankLog).extracting(r -> r.receipt().body().party("bank").statement().terms().command())
        .containsExactly("psi", "stats", "train", "score");
    assertThat(bankLog).allSatisfy(r -> {
      assertThat(r.receipt().signatures()).extracting(x -> x.party()).containsExactly("bank", "partner");
      assertThat(r.receipt().body().party("bank").statement().terms().purpose().orElseThrow().campaign())
          .isEqualTo(DemoCommand.CAMPAIGN);
      assertThat(r.policy().orElseThrow().policy()).isEqualTo("demo-bank-policy");
    });
    assertThat(partnerLog).allSatisfy(r -> assertThat(r.policy().orElseThrow().policy()).isEqualTo("demo-partner-policy"));

    // The JSON reports carry the receipt, the same at both parties; the campaign report shows each.
    ObjectMapper mapper = new ObjectMapper();
    String digest = bankReport.get("compliance").get("receipt_digest").asText();
    assertThat(partnerReport.get("compliance").get("receipt_digest").asText()).isEqualTo(digest);
    assertThat(digest).isEqualTo(bankLog.get(0).receipt().digest().toHex());
    String receipts = html.substring(html.indexOf("id=\"receipts\""));
    for (int i = 0; i < 4; i++) {
      assertThat(receipts).contains(bankLog.get(i).receipt().digest().toHex());
    }
    assertThat(receipts).contains(DemoCommand.CAMPAIGN).contains("demo-bank-policy").contains("bank, partner");
    JsonNode stats = mapper.readTree(out.resolve("bank-stats.json").toFile());
    assertThat(stats.get("compliance").get("policy").get("grant").asText()).isEqualTo("campaign-with-partner");
    assertThat(stats.get("compliance").get("receipt").get("signatures")).hasSize(2);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void report_inHeadlessChromium_rendersTheOverlapChart() throws Exception {
    Optional<Path> chromium = onPath("chromium");
    assumeTrue(
        chromium.isPresent(), "chromium is not installed; the report was checked structurally");

    Path dom = out.resolve("chromium-dom.html");
    Path log = out.resolve("chromium.log");
    Process p =
        new ProcessBuilder(
                chromium.get().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + out.resolve("chromium-profile"),
                "--dump-dom",
                out.resolve("report.html").toUri().toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(dom.toFile())
            .redirectError(log.toFile())
            .start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(exited).as("chromium finished; its log:\n%s", Files.readString(log)).isTrue();
    String rendered = Files.readString(dom, StandardCharsets.UTF_8);
    assertThat(rendered)
        .as("DOM dumped by chromium; its log:\n%s", Files.readString(log))
        .contains("<body");
    assertThat(rendered)
        .containsPattern("<svg[^>]*id=\"overlap-chart\"")
        .contains("id=\"compliance\"")
        .contains("<b>" + grouped(bankReport.get("intersection_size").asLong()) + "</b>");
    // Three bars in the overlap chart; two per decile in the lift chart.
    String overlap = rendered.substring(rendered.indexOf("id=\"overlap-chart\""));
    overlap = overlap.substring(0, overlap.indexOf("</svg>"));
    assertThat(Pattern.compile("<rect\\b").matcher(overlap).results().count()).isEqualTo(3);
    assertThat(rendered).containsPattern("<svg[^>]*id=\"lift-chart\"").contains("id=\"segment-table\"");
    String lift = rendered.substring(rendered.indexOf("id=\"lift-chart\""));
    lift = lift.substring(0, lift.indexOf("</svg>"));
    assertThat(Pattern.compile("<rect\\b").matcher(lift).results().count()).isEqualTo(20);
    String roc = rendered.substring(rendered.indexOf("id=\"roc-chart\""));
    roc = roc.substring(0, roc.indexOf("</svg>"));
    assertThat(Pattern.compile("<polyline\\b").matcher(roc).results().count()).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------

  private static Set<String> normalized(CsvTable t, String column) throws CliException {
    Set<String> s = new HashSet<>();
    for (String v : t.columnValues(t.column(column))) {
      s.add(IdentifierProfile.PHONE.normalize(v).orElseThrow());
    }
    return s;
  }

  private static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** A start or end tag with its attributes. */
  record Tag(String name, boolean closing, Map<String, String> attributes) {}

  private static final Set<String> VOID =
      Set.of(
          "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
          "track", "wbr");
  private static final Pattern TAG =
      Pattern.compile(
          "<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\\s+[^\\s=>/\"']+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'))?)*)\\s*(/?)>");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("([^\\s=>/\"']+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'))?");

  /**
   * The document's tags, after checking that it is well formed: it starts with the HTML5 doctype,
   * every {@code <} opens a tag with quoted attributes, every element but the void ones is closed
   * in order, and the tree has one root.
   */
  private static List<Tag> wellFormedTags(String doc) {
    assertThat(doc).startsWith("<!DOCTYPE html>");
    String body = doc.substring("<!DOCTYPE html>".length());
    List<Tag> tags = new ArrayList<>();
    Deque<String> open = new ArrayDeque<>();
    int roots = 0;
    int pos = 0;
    Matcher m = TAG.matcher(body);
    while (true) {
      int lt = body.indexOf('<', pos);
      if (lt < 0) {
        break;
      }
      assertThat(m.find(lt) && m.start() == lt)
          .as(
              "a well-formed tag at offset %d: %s",
              lt, body.substring(lt, Math.min(body.length(), lt + 60)))
          .isTrue();
      String name = m.group(2).toLowerCase(Locale.ROOT);
      boolean closing = !m.group(1).isEmpty();
      boolean selfClosing = !m.group(4).isEmpty();
      Map<String, String> attributes = new HashMap<>();
      Matcher a = ATTRIBUTE.matcher(m.group(3));
      while (a.find()) {
        String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : "";
        assertThat(attributes.put(a.group(1).toLowerCase(Locale.ROOT), value))
            .as("attribute %s repeated in <%s>", a.group(1), name)
            .isNull();
      }
      tags.add(new Tag(name, closing, attributes));
      if (closing) {
        assertThat(open.peek()).as("</%s> closes the innermost open element", name).isEqualTo(name);
        open.pop();
      } else if (!selfClosing && !VOID.contains(name)) {
        if (open.isEmpty()) {
          roots++;
        }
        open.push(name);
      }
      pos = m.end();
      if (!closing && (name.equals("style") || name.equals("script"))) {
        int end = body.indexOf("</" + name, pos);
        assertThat(end).as("<%s> is closed", name).isPositive();
        pos = end; // raw text: its content is not markup
      }
    }
    assertThat(open).as("elements left open").isEmpty();
    assertThat(roots).as("root elements").isEqualTo(1);
    return tags;
  }
}
