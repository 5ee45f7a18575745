package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @TempDir Path dir;

  private Path file(String content) throws Exception {
    Path f = dir.resolve("in.csv");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void read_semicolonsAndQuotes_detectedAndParsed() throws Exception {
    CsvTable t = CsvTable.read(file("\uFEFFid;\"name\"\n1;\"a;b\"\n2;\"say \"\"hi\"\"\"\n"), (char) 0);
    assertThat(t.delimiter()).isEqualTo(';');
    assertThat(t.header()).containsExactly("id", "name");
    assertThat(t.row(0)).containsExactly("1", "a;b");
    assertThat(t.row(1)).containsExactly("2", "say \"hi\"");
    assertThat(t.lineOf(1)).isEqualTo(3);
  }

  @Test
  void read_quotedNewline_keepsRecordTogether() throws Exception {
    CsvTable t = CsvTable.read(file("a,b\n\"x\ny\",2\n3,4\n"), (char) 0);
    assertThat(t.rowCount()).isEqualTo(2);
    assertThat(t.row(0)[0]).isEqualTo("x\ny");
    assertThat(t.lineOf(1)).isEqualTo(4);
  }

  @Test
  void read_emptyFile_isAnInputErrorNamingTheFile() throws Exception {
    Path f = file("");
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("empty");
  }

  @Test
  void read_byteOrderMarkOnly_isAnEmptyFile() throws Exception {
    Path f = file("\uFEFF\r\n");
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("empty");
  }

  @Test
  void read_rowWithWrongWidth_namesLineNotValues() throws Exception {
    Path f = file("id,mobile\n1,13800138000\n2,13900139000,secret-extra\n");
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("line 3")
        .hasMessageNotContaining("13900139000")
        .hasMessageNotContaining("secret-extra");
  }

  @Test
  void read_invalidUtf8_isAnInputError() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.write(f, new byte[] {'a', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void read_invalidUtf8FarDown_namesItsExactLine() throws Exception {
    Path f = dir.resolve("bad-late.csv");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes("id,name\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (int i = 2; i <= 3000; i++) {
      if (i == 1501) {
        bytes.writeBytes(new byte[] {'7', ',', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
      } else {
        bytes.writeBytes((i + ",张" + i + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    Files.write(f, bytes.toByteArray());
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("line 1501 is not valid UTF-8");
  }

  @Test
  void read_crlfAndMultibyteText_readsEveryRow() throws Exception {
    Path f = dir.resolve("crlf.csv");
    Files.write(f, "id,name\r\n1,张三\r\n2,李四".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    CsvTable t = CsvTable.read(f, (char) 0);
    assertThat(t.columnValues(t.column("name"))).containsExactly("张三", "李四");
  }

  @Test
  void read_duplicateColumnNames_isAnInputErrorNamingBothColumns() throws Exception {
    Path f = file("id,mobile,id\n1,2,3\n");
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("columns 1 and 3 have the same name");
  }

  @Test
  void column_missing_namesColumnAndFile() throws Exception {
    CsvTable t = CsvTable.read(file("id,mobile\n1,2\n"), (char) 0);
    assertThatThrownBy(() -> t.column("phone"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("'phone'")
        .hasMessageContaining("in.csv");
  }

  @Test
  void read_unclosedQuote_namesLineAndColumn() throws Exception {
    Path f = file("a,b\n1,\"open\n");
    assertThatThrownBy(() -> CsvTable.read(f, (char) 0))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("line 2 column 2");
  }
}
