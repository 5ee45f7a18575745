package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming reader: what CsvTableTest covers, plus multi-line records, gzip and digests. */
class CsvReaderTest {
  @TempDir Path dir;

  private static List<String[]> readAll(CsvReader r) throws CliException {
    List<String[]> rows = new ArrayList<>();
    while (r.next()) {
      rows.add(r.fields());
    }
    return rows;
  }

  @Test
  void next_recordSpanningLines_keepsTheFieldsBeforeTheQuotedOne() throws Exception {
    Path f = dir.resolve("in.csv");
    Files.writeString(f, "id,name,mobile\nC1,\"王\n伟\",13800138000\nC2,李,13900139000\n", StandardCharsets.UTF_8);
    try (CsvReader r = CsvReader.open(f, (char) 0)) {
      assertThat(r.next()).isTrue();
      assertThat(r.fields()).containsExactly("C1", "王\n伟", "13800138000");
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.next()).isTrue();
      assertThat(r.field(0)).isEqualTo("C2");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.row()).isEqualTo(1);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void open_gzipByContent_readsTheSameRecordsWhateverTheName() throws Exception {
    String csv = "id;mobile\r\n1;13800138000\r\n\r\n2;\"139 0013 9000\"\r\n";
    Path plain = dir.resolve("plain.csv");
    Files.writeString(plain, csv, StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    Path zipped = dir.resolve("no-extension");
    Files.write(zipped, gz.toByteArray());
    List<String[]> a;
    List<String[]> b;
    try (CsvReader r = CsvReader.open(plain, (char) 0)) {
      a = readAll(r);
    }
    try (CsvReader r = CsvReader.open(zipped, (char) 0)) {
      assertThat(r.delimiter()).isEqualTo(';');
      b = readAll(r);
      assertThat(r.digest()).isEqualTo(CsvReader.digestOf(zipped));
    }
    assertThat(b).hasSize(2);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).containsExactly(a.get(i));
    }
  }

  @Test
  void open_damagedGzip_isAnInputErrorNamingTheFile() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write("id,mobile\n1,13800138000\n2,13900139000\n".repeat(200).getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = gz.toByteArray();
    Path f = dir.resolve("broken.csv.gz");
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(
            () -> {
              try (CsvReader r = CsvReader.open(f, (char) 0)) {
                readAll(r);
              }
            })
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessageContaining(f.toString());
  }

  @Test
  void digest_afterAFullPass_isTheDigestOfTheFileBytes() throws Exception {
    Path f = dir.resolve("in.csv");
    Files.writeString(f, "id,mobile\n1,13800138000\n", StandardCharsets.UTF_8);
    try (CsvReader r = CsvReader.open(f, (char) 0)) {
      readAll(r);
      assertThat(r.digest()).isEqualTo(CsvReader.digestOf(f));
      assertThat(r.bytesRead()).isEqualTo(Files.size(f));
    }
  }

  @Test
  void linesOf_rowsAfterMultiLineRecords_namesTheirStartingLines() throws Exception {
    Path f = dir.resolve("in.csv");
    Files.writeString(f, "a,b\n\"x\ny\",1\n\n2,3\n4,5\n", StandardCharsets.UTF_8);
    assertThat(CsvReader.linesOf(f, (char) 0, 2, 0, -1)).containsExactly(6, 2, -1);
  }
}
