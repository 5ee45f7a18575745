package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.psi.IdentifierProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Small CSV files for running {@code jointly psi} end to end, written in the test with plain Java,
 * and what the CLI must make of them, computed here with {@link HashSet#retainAll} over {@link
 * IdentifierProfile#normalize}. Test support, not a test.
 *
 * <p>Mobile numbers are written in the mixed formats real exports have ({@code +86 138-0013-8000},
 * {@code 0086 ...}, full-width digits...). Other columns carry the delimiter and quotes so that the
 * rows the CLI writes back must be quoted as in the input. Every identifier value is also kept in
 * {@link #secrets()}: no process may ever print one.
 */
final class PsiFixtures {

  /** One CSV file: its path, header, data rows, the text of each row and the line it starts on. */
  record Table(
      Path file,
      char delimiter,
      List<String> header,
      List<List<String>> rows,
      List<String> rowText,
      List<Integer> lineOfRow) {
    /** The header line as the file has it. */
    String headerText() {
      return join(header, delimiter);
    }

    int column(String name) {
      int i = header.indexOf(name);
      assertThat(i).as("column %s", name).isNotNegative();
      return i;
    }

    /** The normalised key of every row (empty for an invalid one), columns joined with U+0000. */
    List<Optional<String>> keys(IdentifierProfile profile, String... idColumns) {
      List<Optional<String>> keys = new ArrayList<>();
      for (List<String> row : rows) {
        StringBuilder k = new StringBuilder();
        Optional<String> key = Optional.of("");
        for (int c = 0; c < idColumns.length && key.isPresent(); c++) {
          Optional<String> v = profile.normalize(row.get(column(idColumns[c])));
          if (v.isEmpty()) {
            key = Optional.empty();
          } else {
            k.append(c > 0 ? "\u0000" : "").append(v.get());
            key = Optional.of(k.toString());
          }
        }
        keys.add(key);
      }
      return keys;
    }

    /** The distinct valid keys. */
    Set<String> keySet(IdentifierProfile profile, String... idColumns) {
      Set<String> s = new HashSet<>();
      keys(profile, idColumns).forEach(k -> k.ifPresent(s::add));
      return s;
    }

    /**
     * The file the party that learns must write: the header and, in input order, every row whose
     * key is in {@code peerKeys}, as the input has it.
     */
    String expectedShared(Set<String> peerKeys, IdentifierProfile profile, String... idColumns) {
      StringBuilder sb = new StringBuilder(headerText()).append('\n');
      List<Optional<String>> keys = keys(profile, idColumns);
      for (int r = 0; r < rows.size(); r++) {
        if (keys.get(r).isPresent() && peerKeys.contains(keys.get(r).get())) {
          sb.append(rowText.get(r)).append('\n');
        }
      }
      return sb.toString();
    }
  }

  /** What both parties bring: a bank table and a partner table. */
  record Pair(
      Table bank, Table partner, IdentifierProfile profile, String[] bankId, String[] partnerId) {
    Set<String> bankKeys() {
      return bank.keySet(profile, bankId);
    }

    Set<String> partnerKeys() {
      return partner.keySet(profile, partnerId);
    }

    /** The plain intersection of the two key sets. */
    Set<String> intersection() {
      Set<String> s = new HashSet<>(bankKeys());
      s.retainAll(partnerKeys());
      return s;
    }
  }

  private static final String[] SURNAMES = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"
  };
  private static final String[] GIVEN = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"
  };
  private static final String[] SEGMENTS = {
    "mass", "affluent", "private, family office", "vip \"black\""
  };
  private static final String[] CITIES = {
    "Beijing", "Shanghai; Pudong", "Shenzhen", "Hangzhou \"West Lake\""
  };

  final Path dir;
  private final Random rnd = new Random(20260415L);
  private final Set<String> usedMobiles = new HashSet<>();
  private final Set<String> secrets = new LinkedHashSet<>();

  /**
   * Bank (comma) and partner (semicolon) files keyed by mobile, in mixed formats, with duplicates.
   */
  final Pair phones;

  /** Bank (comma) and partner (pipe) files keyed by name and birth date, raw profile. */
  final Pair composite;

  /** The bank's phone file with three invalid mobiles, a quoted line break and a blank line. */
  final Table bankWithInvalid;

  /** Lines (1-based) of the invalid rows in {@link #bankWithInvalid}. */
  final List<Integer> invalidLines = new ArrayList<>();

  /** A bank file whose row at {@link #malformedLine} has one field too many. */
  final Path malformed;

  int malformedLine;

  /** A file of zero bytes. */
  final Path empty;

  PsiFixtures(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    phones = phones();
    composite = composite();
    bankWithInvalid = bankWithInvalid();
    malformed = malformed();
    empty = dir.resolve("empty.csv");
    Files.write(empty, new byte[0]);
  }

  /** Every identifier value in every file, as written and as normalised. */
  Set<String> secrets() {
    return Collections.unmodifiableSet(secrets);
  }

  private Pair phones() throws IOException {
    int people = 300;
    List<String> mobiles = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      mobiles.add(newMobile());
    }
    List<List<String>> bankRows = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      bankRows.add(bankRow(i, phoneFormat(mobiles.get(i))));
    }
    // The same customer twice, written differently (a second account): deduplicated by default.
    for (int i = 0; i < 8; i++) {
      bankRows.add(bankRow(people + i, phoneFormat(mobiles.get(rnd.nextInt(people)))));
    }
    Collections.shuffle(bankRows, rnd);

    List<List<String>> partnerRows = new ArrayList<>();
    int m = 0;
    for (int i = 0; i < 150; i++) {
      partnerRows.add(partnerRow(m++, phoneFormat(mobiles.get(i))));
    }
    for (int i = 0; i < 3; i++) {
      partnerRows.add(partnerRow(m++, phoneFormat(mobiles.get(rnd.nextInt(150)))));
    }
    for (int i = 0; i < 120; i++) {
      partnerRows.add(partnerRow(m++, phoneFormat(newMobile())));
    }
    Collections.shuffle(partnerRows, rnd);

    Table bank =
        write("bank.csv", ',', List.of("customer_no", "mobile", "name", "segment"), bankRows);
    Table partner =
        write("partner.csv", ';', List.of("member_id", "phone", "orders", "city"), partnerRows);
    for (List<String> r : bankRows) {
      addSecrets(r.get(0), r.get(1));
    }
    for (List<String> r : partnerRows) {
      addSecrets(r.get(0), r.get(1));
    }
    return new Pair(
        bank, partner, IdentifierProfile.PHONE, new String[] {"mobile"}, new String[] {"phone"});
  }

  private Pair composite() throws IOException {
    List<String[]> people = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (people.size() < 200) {
      String[] p = {name(), date()};
      if (seen.add(p[0] + "/" + p[1])) {
        people.add(p);
      }
    }
    List<List<String>> bankRows = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      String[] p = people.get(i);
      bankRows.add(
          List.of(
              String.format(Locale.ROOT, "K%07d", 4_000_000 + i),
              pad(p[0]),
              p[1],
              "tier" + rnd.nextInt(4)));
    }
    List<List<String>> partnerRows = new ArrayList<>();
    int m = 0;
    for (int i = 0; i < 90; i++) { // the same person: both columns match
      partnerRows.add(partnerCompositeRow(m++, pad(people.get(i)[0]), people.get(i)[1]));
    }
    for (int i = 90; i < 120; i++) { // same name, another birth date: not the same person
      partnerRows.add(partnerCompositeRow(m++, people.get(i)[0], otherDate(people.get(i)[1])));
    }
    for (int i = 120; i < 150; i++) { // same birth date, another name
      partnerRows.add(partnerCompositeRow(m++, people.get(i)[0] + "子", people.get(i)[1]));
    }
    for (int i = 0; i < 50; i++) {
      partnerRows.add(partnerCompositeRow(m++, name() + "某", date()));
    }
    Collections.shuffle(partnerRows, rnd);
    Table bank =
        write(
            "bank-composite.csv",
            ',',
            List.of("customer_no", "name", "birth_date", "tier"),
            bankRows);
    Table partner =
        write(
            "partner-composite.csv",
            '|',
            List.of("member_id", "full_name", "dob", "level"),
            partnerRows);
    for (List<String> r : bankRows) {
      addSecrets(r.get(0), r.get(1));
    }
    for (List<String> r : partnerRows) {
      addSecrets(r.get(0), r.get(1));
      secrets.add(r.get(2));
    }
    bankRows.forEach(r -> secrets.add(r.get(2)));
    return new Pair(
        bank,
        partner,
        IdentifierProfile.RAW,
        new String[] {"name", "birth_date"},
        new String[] {"full_name", "dob"});
  }

  private Table bankWithInvalid() throws IOException {
    List<List<String>> rows = new ArrayList<>(phones.bank().rows());
    // A shared customer whose name holds a line break (so rows and lines differ from here on).
    rows.add(
        40,
        List.of("C09999999", phoneFormat(normalizedNational(phones.partner(), 0)), "王\n伟", "mass"));
    List<String> bad =
        List.of(
            "1" + digits(9), // ten digits
            "+86 0" + digits(10), // trunk prefix after the country code
            "2" + digits(10)); // eleven digits, not a mobile
    List<Integer> invalidRows = new ArrayList<>();
    for (int i = 0; i < bad.size(); i++) {
      int at = i == 0 ? 41 : i == 1 ? 200 : rows.size();
      rows.add(at, List.of(String.format(Locale.ROOT, "C0999998%d", i), bad.get(i), "赵敏", "mass"));
      invalidRows.add(at);
      assertThat(IdentifierProfile.PHONE.normalize(bad.get(i))).isEmpty();
      secrets.add(bad.get(i));
    }
    Table t = write("bank-invalid.csv", ',', phones.bank().header(), rows, 41);
    for (int r : invalidRows) {
      invalidLines.add(t.lineOfRow().get(r));
    }
    addSecrets("C09999999", rows.get(40).get(1));
    return t;
  }

  private Path malformed() throws IOException {
    Table bank = phones.bank();
    StringBuilder sb = new StringBuilder(bank.headerText()).append('\n');
    for (int r = 0; r < 30; r++) {
      sb.append(bank.rowText().get(r)).append('\n');
    }
    String extra = newMobile();
    secrets.add(extra);
    sb.append("C09999990,")
        .append(phoneFormat(extra))
        .append(",王芳,mass,")
        .append(extra)
        .append('\n');
    malformedLine = 32;
    for (int r = 30; r < bank.rows().size(); r++) {
      sb.append(bank.rowText().get(r)).append('\n');
    }
    Path f = dir.resolve("bank-malformed.csv");
    Files.writeString(f, sb, StandardCharsets.UTF_8);
    return f;
  }

  private List<String> bankRow(int i, String mobile) {
    return List.of(
        String.format(Locale.ROOT, "C%08d", 20_000_000 + i),
        mobile,
        name(),
        SEGMENTS[rnd.nextInt(SEGMENTS.length)]);
  }

  private List<String> partnerRow(int i, String phone) {
    return List.of(
        String.format(Locale.ROOT, "M%09d", 700_000_000 + i),
        phone,
        Integer.toString(rnd.nextInt(40)),
        CITIES[rnd.nextInt(CITIES.length)]);
  }

  private List<String> partnerCompositeRow(int i, String name, String dob) {
    return List.of(
        String.format(Locale.ROOT, "P%07d", 5_000_000 + i), name, dob, "L" + rnd.nextInt(3));
  }

  private String newMobile() {
    String m;
    do {
      m = "1" + (3 + rnd.nextInt(7)) + digits(9);
    } while (!usedMobiles.add(m));
    return m;
  }

  private String digits(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    return sb.toString();
  }

  /** A mobile as people type it: with or without country code, separators, full-width digits. */
  private String phoneFormat(String m) {
    String a = m.substring(0, 3);
    String b = m.substring(3, 7);
    String c = m.substring(7);
    String f =
        switch (rnd.nextInt(8)) {
          case 0 -> "+86 " + a + "-" + b + "-" + c;
          case 1 -> "0086 " + a + " " + b + " " + c;
          case 2 -> "(+86) " + m;
          case 3 -> "86" + m;
          case 4 -> a + "." + b + "." + c;
          case 5 -> fullWidth(m);
          case 6 -> " " + m + " ";
          default -> m;
        };
    assertThat(IdentifierProfile.PHONE.normalize(f))
        .as("fixture format of a mobile")
        .contains("+86" + m);
    return f;
  }

  private static String fullWidth(String digits) {
    StringBuilder sb = new StringBuilder();
    for (char ch : digits.toCharArray()) {
      sb.append((char) ('\uFF10' + (ch - '0')));
    }
    return sb.toString();
  }

  private String normalizedNational(Table t, int row) {
    return IdentifierProfile.PHONE
        .normalize(t.rows().get(row).get(t.column("phone")))
        .orElseThrow()
        .substring(3);
  }

  private String name() {
    return SURNAMES[rnd.nextInt(SURNAMES.length)]
        + GIVEN[rnd.nextInt(GIVEN.length)]
        + (rnd.nextBoolean() ? GIVEN[rnd.nextInt(GIVEN.length)] : "");
  }

  private String date() {
    return String.format(
        Locale.ROOT,
        "%d-%02d-%02d",
        1950 + rnd.nextInt(50),
        1 + rnd.nextInt(12),
        1 + rnd.nextInt(28));
  }

  private static String otherDate(String d) {
    int day = Integer.parseInt(d.substring(8));
    return d.substring(0, 8) + String.format(Locale.ROOT, "%02d", day % 28 + 1);
  }

  /** Sometimes surrounded by spaces, which the raw profile trims. */
  private String pad(String s) {
    return rnd.nextInt(5) == 0 ? " " + s + " " : s;
  }

  private void addSecrets(String recordId, String identifier) {
    secrets.add(recordId);
    if (!identifier.isBlank()) {
      secrets.add(identifier.strip());
    }
    IdentifierProfile.PHONE
        .normalize(identifier)
        .ifPresent(
            n -> {
              secrets.add(n);
              secrets.add(n.substring(3));
            });
  }

  private Table write(String name, char d, List<String> header, List<List<String>> rows)
      throws IOException {
    return write(name, d, header, rows, -1);
  }

  /** Writes the file; a blank line goes before row {@code blankBefore} (if non-negative). */
  private Table write(
      String name, char d, List<String> header, List<List<String>> rows, int blankBefore)
      throws IOException {
    Path f = dir.resolve(name);
    StringBuilder sb = new StringBuilder(join(header, d)).append('\n');
    int line = 2;
    List<String> texts = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      if (r == blankBefore) {
        sb.append('\n');
        line++;
      }
      String text = join(rows.get(r), d);
      texts.add(text);
      lines.add(line);
      sb.append(text).append('\n');
      line += (int) text.chars().filter(ch -> ch == '\n').count() + 1;
    }
    Files.writeString(f, sb, StandardCharsets.UTF_8);
    return new Table(f, d, List.copyOf(header), List.copyOf(rows), texts, lines);
  }

  static String join(List<String> fields, char d) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(d);
      }
      String v = fields.get(i);
      boolean quote = v.indexOf(d) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0;
      sb.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
    }
    return sb.toString();
  }
}
