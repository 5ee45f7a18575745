package io.jointly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file (and optionally the native baseline's JSON lines) into the Markdown
 * tables kept in {@code bench/README.md}: median and spread per benchmark, the machine, and each
 * suite's scalar multiplication as a ratio to libsodium's, measured in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.jointly.bench.Report jmh.json native.json out.md}
 * (pass {@code -} for a missing native file).
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Report JMH_JSON NATIVE_JSON|- OUT_MD");
    }
    ObjectMapper mapper = new ObjectMapper();
    JsonNode jmh = mapper.readTree(Path.of(args[0]).toFile());
    Map<String, Double> nativeMedians = new HashMap<>();
    if (!args[1].equals("-") && Files.exists(Path.of(args[1]))) {
      for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        nativeMedians.put(n.get("primitive").asText(), n.get("median").asDouble());
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(machine()).append('\n');
    md.append("| benchmark | parameters | median | error (99.9 %) | unit | extra |\n");
    md.append("| --- | --- | ---: | ---: | --- | --- |\n");
    Map<String, Double> multiplyMedians = new HashMap<>();
    for (JsonNode b : jmh) {
      String name = b.get("benchmark").asText().replace("io.jointly.bench.", "");
      String params = params(b.path("params"));
      JsonNode pm = b.get("primaryMetric");
      double median = median(pm.get("rawData"));
      String unit = pm.get("scoreUnit").asText();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.3f | %s | %s | %s |%n",
              name,
              params,
              median,
              Double.isNaN(pm.path("scoreError").asDouble(Double.NaN))
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.3f", pm.get("scoreError").asDouble()),
              unit,
              extra(b, median, unit)));
      if (name.endsWith("GroupBenchmark.multiply") && unit.equals("us/op")) {
        multiplyMedians.put(b.path("params").path("suite").asText(), median);
      }
    }
    if (!nativeMedians.isEmpty()) {
      md.append("\nScalar multiplication (decode + validate + multiply + encode) against libsodium ")
          .append("in the same run:\n\n")
          .append("| suite | Jointly median µs | libsodium median µs | ratio |\n")
          .append("| --- | ---: | ---: | ---: |\n");
      for (String suite : List.of("ristretto255", "x25519")) {
        Double ours = multiplyMedians.get(suite);
        Double theirs = nativeMedians.get(suite);
        if (ours != null && theirs != null) {
          md.append(
              String.format(
                  Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", suite, ours, theirs, ours / theirs));
        }
      }
    }
    Files.writeString(Path.of(args[2]), md.toString(), StandardCharsets.UTF_8);
  }

  private static String params(JsonNode p) {
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      parts.add(e.getKey() + "=" + e.getValue().asText());
    }
    return String.join(", ", parts);
  }

  /** Items per second and bytes per item (and CPU-µs per item if counted), for benchmarks with the item and byte auxiliary counters. */
  private static String extra(JsonNode b, double median, String unit) {
    JsonNode sec = b.path("secondaryMetrics");
    if (!sec.has("items") || !sec.has("bytes") || !unit.equals("ms/op")) {
      return "";
    }
    double items = sec.get("items").get("score").asDouble();
    double bytes = sec.get("bytes").get("score").asDouble();
    int iterations = Math.max(1, count(b.get("primaryMetric").get("rawData")));
    double itemsPerOp = items / iterations;
    String cpu =
        sec.has("cpuMicros")
            ? String.format(Locale.ROOT, ", %.1f CPU-µs/item", sec.get("cpuMicros").get("score").asDouble() / Math.max(1, items))
            : "";
    return String.format(
            Locale.ROOT,
            "%.0f items/s, %.2f bytes/item",
            itemsPerOp / (median / 1e3),
            bytes / Math.max(1, items))
        + cpu;
  }

  private static int count(JsonNode raw) {
    int n = 0;
    for (JsonNode fork : raw) {
      n += fork.size();
    }
    return n;
  }

  static double median(JsonNode raw) {
    List<Double> all = new ArrayList<>();
    for (JsonNode fork : raw) {
      for (JsonNode v : fork) {
        all.add(v.asDouble());
      }
    }
    Collections.sort(all);
    int n = all.size();
    return n % 2 == 1 ? all.get(n / 2) : (all.get(n / 2 - 1) + all.get(n / 2)) / 2;
  }

  private static String machine() throws IOException {
    String cpu = "unknown CPU";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "Machine: %s, %d cores, %s %s (%s), %s%n",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }
}
