package io.jointly.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file read whole: a header row and data rows of the same width. UTF-8 (strict: a malformed
 * byte sequence is an error), RFC 4180 quoting, delimiter given or detected from the header among
 * comma, semicolon, tab and pipe. Every error names the file, the line and, where it applies, the
 * column — never a value.
 */
final class CsvTable {
  private static final char[] CANDIDATES = {',', ';', '\t', '|'};

  private final Path file;
  private final char delimiter;
  private final List<String> header;
  private final Map<String, Integer> columnIndex;
  private final List<String[]> rows;
  /** The physical line on which each data row starts (1-based), for messages. */
  private final int[] lineOfRow;

  private CsvTable(Path file, char delimiter, List<String> header, List<String[]> rows, int[] lines) {
    this.file = file;
    this.delimiter = delimiter;
    this.header = header;
    this.rows = rows;
    this.lineOfRow = lines;
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      idx.putIfAbsent(header.get(i), i);
    }
    this.columnIndex = idx;
  }

  /** Decodes one line's bytes (without a trailing CR) into {@code lines} and empties {@code line}. */
  private static void addLine(Path file, ByteArrayOutputStream line, CharsetDecoder utf8, List<String> lines)
      throws CliException {
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      lines.add(utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString());
    } catch (CharacterCodingException e) {
      throw CliException.input(file + ": line " + (lines.size() + 1) + " is not valid UTF-8");
    }
    line.reset();
  }

  /** Reads {@code file}; {@code delimiter} 0 means detect. */
  static CsvTable read(Path file, char delimiter) throws CliException {
    List<String> lines = new ArrayList<>();
    // Lines are split on the bytes and each is decoded on its own (strictly), so a malformed byte
    // sequence is reported on its own line; a decoder over a buffered stream fails ahead of the line
    // it has handed out.
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = Files.newInputStream(file)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      byte[] chunk = new byte[1 << 16];
      for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            line.write(chunk, from, i - from);
            addLine(file, line, utf8, lines);
            from = i + 1;
          }
        }
        line.write(chunk, from, n - from);
      }
      if (line.size() > 0) {
        addLine(file, line, utf8, lines); // the last line, without a line break
      }
    } catch (NoSuchFileException e) {
      throw CliException.input(file + ": no such file");
    } catch (IOException e) {
      throw CliException.input(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (!lines.isEmpty() && !lines.get(0).isEmpty() && lines.get(0).charAt(0) == '\uFEFF') {
      lines.set(0, lines.get(0).substring(1)); // a byte-order mark, as spreadsheet exports write
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      throw CliException.input(file + ": the file is empty (a header row is required)");
    }
    char d = delimiter != 0 ? delimiter : detect(lines.get(0));
    List<String[]> records = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      int start = i + 1;
      if (lines.get(i).isEmpty() && i > 0) {
        i++;
        continue; // blank lines between records are ignored
      }
      List<String> fields = new ArrayList<>();
      i = parseRecord(file, lines, i, d, fields);
      records.add(fields.toArray(String[]::new));
      starts.add(start);
    }
    List<String> header = new ArrayList<>();
    for (String h : records.get(0)) {
      header.add(h.trim());
    }
    for (int c = 0; c < header.size(); c++) {
      if (header.get(c).isEmpty()) {
        throw CliException.input(file + ": line 1: column " + (c + 1) + " has no name");
      }
      int first = header.indexOf(header.get(c));
      if (first < c) {
        throw CliException.input(
            file + ": line 1: columns " + (first + 1) + " and " + (c + 1) + " have the same name");
      }
    }
    List<String[]> data = new ArrayList<>(records.subList(1, records.size()));
    int[] lineOf = new int[data.size()];
    for (int r = 0; r < data.size(); r++) {
      lineOf[r] = starts.get(r + 1);
      if (data.get(r).length != header.size()) {
        throw CliException.input(
            file + ": line " + lineOf[r] + " has " + data.get(r).length + " fields, the header has "
                + header.size());
      }
    }
    return new CsvTable(file, d, Collections.unmodifiableList(header), data, lineOf);
  }

  private static char detect(String headerLine) {
    char best = ',';
    int bestCount = 0;
    for (char c : CANDIDATES) {
      int n = 0;
      boolean quoted = false;
      for (int i = 0; i < headerLine.length(); i++) {
        char ch = headerLine.charAt(i);
        if (ch == '"') {
          quoted = !quoted;
        } else if (ch == c && !quoted) {
          n++;
        }
      }
      if (n > bestCount) {
        best = c;
        bestCount = n;
      }
    }
    return best;
  }

  /** Parses one record starting at line {@code i}; returns the index of the next line. */
  private static int parseRecord(Path file, List<String> lines, int i, char d, List<String> out)
      throws CliException {
    int startLine = i + 1;
    StringBuilder field = new StringBuilder();
    String line = lines.get(i);
    int pos = 0;
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (pos >= line.length()) {
        if (quoted) {
          i++;
          if (i >= lines.size()) {
            throw CliException.input(
                file + ": line " + startLine + " column " + (out.size() + 1)
                    + ": quoted field is not closed");
          }
          field.append('\n');
          line = lines.get(i);
          pos = 0;
          continue;
        }
        out.add(field.toString());
        return i + 1;
      }
      char c = line.charAt(pos++);
      if (quoted) {
        if (c == '"') {
          if (pos < line.length() && line.charAt(pos) == '"') {
            field.append('"');
            pos++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == d) {
        out.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
        field.setLength(0);
        quoted = true;
        wasQuoted = true;
      } else if (c == '"') {
        throw CliException.input(
            file + ": line " + (i + 1) + " column " + (out.size() + 1) + ": stray quote in field");
      } else {
        field.append(c);
      }
    }
  }

  Path file() {
    return file;
  }

  char delimiter() {
    return delimiter;
  }

  List<String> header() {
    return header;
  }

  int rowCount() {
    return rows.size();
  }

  String[] row(int r) {
    return rows.get(r);
  }

  /** The physical line of data row {@code r} (0-based row, 1-based line). */
  int lineOf(int r) {
    return lineOfRow[r];
  }

  /** The index of a column, or an input error naming the file and the missing column. */
  int column(String name) throws CliException {
    Integer i = columnIndex.get(name);
    if (i == null) {
      throw CliException.input(
          file + ": no column '" + name + "' (columns: " + String.join(", ", header) + ")");
    }
    return i;
  }

  /** The values of a column, in row order. */
  List<String> columnValues(int column) {
    List<String> out = new ArrayList<>(rows.size());
    for (String[] row : rows) {
      out.add(row[column]);
    }
    return out;
  }

  /** Formats a row back to CSV with this table's delimiter, quoting where needed. */
  String format(String[] fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(delimiter);
      }
      sb.append(quote(fields[i], delimiter));
    }
    return sb.toString();
  }

  static String quote(String v, char delimiter) {
    if (v.indexOf(delimiter) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
