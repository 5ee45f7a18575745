package io.jointly.lr.training;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jointly.lr.features.RawTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loaders for the shared benchmark data (tests only): {@code ../shared/data} beside the repository
 * root, or the directory in the environment variable {@code JOINTLY_DATA}. Tests that need the data
 * are skipped, with a message saying where it was looked for, when it is absent.
 */
final class DataSets {
  private DataSets() {}

  /** A vertically split, aligned data set: bank features and labels, partner features. */
  record Vertical(String name, RawTable bank, RawTable partner, int[] labels) {}

  static Path dataDir() {
    String env = System.getenv("JOINTLY_DATA");
    List<Path> tried = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      tried.add(Path.of(env));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      tried.add(p.resolve("../shared/data").normalize());
    }
    for (Path p : tried) {
      if (Files.isDirectory(p.resolve("fate")) || Files.isDirectory(p.resolve("bank-marketing"))) {
        return p;
      }
    }
    assumeTrue(false, "shared data not found (set JOINTLY_DATA or place it at ../shared/data); tried " + tried);
    return null;
  }

  private static Path file(String relative) {
    Path f = dataDir().resolve(relative);
    assumeTrue(Files.isRegularFile(f), "data file absent: " + f);
    return f;
  }

  /** FATE's hetero pair {@code <prefix>_hetero_guest.csv} (id, y, features) and host (id, features). */
  static Vertical fate(String prefix) throws IOException {
    List<String[]> guest = read(file("fate/" + prefix + "_hetero_guest.csv"), ',');
    List<String[]> host = read(file("fate/" + prefix + "_hetero_host.csv"), ',');
    String[] gh = guest.get(0);
    String[] hh = host.get(0);
    if (!gh[0].equals("id") || !gh[1].equals("y") || !hh[0].equals("id") || guest.size() != host.size()) {
      throw new IllegalStateException(prefix + ": unexpected layout");
    }
    int n = guest.size() - 1;
    int[] y = new int[n];
    List<String[]> bank = new ArrayList<>();
    List<String[]> partner = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      String[] g = guest.get(r + 1);
      String[] h = host.get(r + 1);
      if (!g[0].equals(h[0])) {
        throw new IllegalStateException(prefix + ": guest and host rows are not aligned at row " + (r + 1));
      }
      y[r] = Integer.parseInt(g[1].strip());
      bank.add(Arrays.copyOfRange(g, 2, g.length));
      partner.add(Arrays.copyOfRange(h, 1, h.length));
    }
    return new Vertical(
        prefix,
        RawTable.ofRows(Arrays.asList(gh).subList(2, gh.length), bank),
        RawTable.ofRows(Arrays.asList(hh).subList(1, hh.length), partner),
        y);
  }

  static final List<String> BANK_COLUMNS =
      List.of("age", "job", "marital", "education", "default", "balance", "housing", "loan");
  static final List<String> PARTNER_COLUMNS =
      List.of("contact", "day", "month", "campaign", "pdays", "previous", "poutcome");

  /**
   * UCI bank marketing {@code bank-full.csv} (';', quoted), without {@code duration} (it leaks the
   * outcome): bank = the client's financial profile and the label, partner = contact history. A row
   * number serves as the customer id, so the two tables are aligned by construction.
   */
  static Vertical bankMarketing() throws IOException {
    List<String[]> rows = read(file("bank-marketing/bank-full.csv"), ';');
    List<String> header = Arrays.asList(rows.get(0));
    RawTable all = RawTable.ofRows(header, rows.subList(1, rows.size()));
    List<String> label = all.column("y");
    int[] y = new int[label.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = label.get(i).equals("yes") ? 1 : 0;
    }
    return new Vertical("bank-full", all.select(BANK_COLUMNS), all.select(PARTNER_COLUMNS), y);
  }

  /** A minimal RFC 4180 reader (quoted fields, doubled quotes; no embedded line breaks needed here). */
  static List<String[]> read(Path file, char delimiter) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == delimiter) {
          fields.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      fields.add(f.toString());
      out.add(fields.toArray(String[]::new));
    }
    return out;
  }
}
