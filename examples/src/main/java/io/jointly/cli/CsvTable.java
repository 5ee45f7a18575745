package io.jointly.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file read whole, for the commands that need every column of every row in memory (federated
 * statistics, training, scoring): the records of a {@link CsvReader} (same format, same errors,
 * naming file, line and column but never a value). {@code jointly psi} streams the file instead.
 */
final class CsvTable {
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

  /** Reads {@code file}; {@code delimiter} 0 means detect. */
  static CsvTable read(Path file, char delimiter) throws CliException {
    try (CsvReader r = CsvReader.open(file, delimiter)) {
      List<String[]> data = new ArrayList<>();
      int[] lines = new int[16];
      while (r.next()) {
        if (data.size() == lines.length) {
          lines = Arrays.copyOf(lines, lines.length * 2);
        }
        lines[data.size()] = (int) r.line();
        data.add(r.fields());
      }
      return new CsvTable(file, r.delimiter(), r.header(), data, Arrays.copyOf(lines, data.size()));
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
