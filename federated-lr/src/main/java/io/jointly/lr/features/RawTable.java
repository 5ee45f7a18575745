package io.jointly.lr.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One party's raw feature columns, as the library's in-memory input: named columns of text cells,
 * one row per (aligned) customer. The CLI reads a CSV file into it; the library never reads files.
 * Row order is the caller's: after PSI, select the shared rows in the agreed order with {@link
 * #rows(int[])}.
 *
 * <p><b>Missing values.</b> A cell is missing when it is {@code null}, blank, or (ignoring case and
 * surrounding blanks) one of {@code NA}, {@code N/A}, {@code NaN}, {@code NULL} — see {@link
 * #isMissing(String)}. Any other text is a value; for numeric columns it must parse with {@link
 * Double#parseDouble} to a finite number.
 *
 * <p>Immutable and thread-safe.
 */
public final class RawTable {
  private final List<String> columns;
  private final Map<String, Integer> index;
  /** Column-major: {@code cells[c][r]}. */
  private final String[][] cells;

  private final int rows;

  private RawTable(List<String> columns, String[][] cells, int rows) {
    this.columns = List.copyOf(columns);
    this.cells = cells;
    this.rows = rows;
    Map<String, Integer> idx = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("column " + (c + 1) + " has no name");
      }
      if (idx.put(name, c) != null) {
        throw new IllegalArgumentException("duplicate column name '" + name + "'");
      }
    }
    this.index = Map.copyOf(idx);
  }

  /**
   * A table from rows of cells, each row as wide as {@code columns}.
   *
   * @throws IllegalArgumentException on blank or duplicate column names or a row of the wrong width
   */
  public static RawTable ofRows(List<String> columns, List<String[]> rowCells) {
    int width = columns.size();
    String[][] cells = new String[width][rowCells.size()];
    for (int r = 0; r < rowCells.size(); r++) {
      String[] row = rowCells.get(r);
      if (row.length != width) {
        throw new IllegalArgumentException(
            "row " + (r + 1) + " has " + row.length + " cells, expected " + width);
      }
      for (int c = 0; c < width; c++) {
        cells[c][r] = row[c];
      }
    }
    return new RawTable(columns, cells, rowCells.size());
  }

  /** A table from whole columns of equal length: {@code columns.get(c)} holds column {@code names.get(c)}. */
  public static RawTable ofColumns(List<String> names, List<List<String>> columns) {
    if (names.size() != columns.size()) {
      throw new IllegalArgumentException(
          names.size() + " column names for " + columns.size() + " columns");
    }
    String[][] cells = new String[names.size()][];
    int rows = -1;
    for (int c = 0; c < names.size(); c++) {
      List<String> col = columns.get(c);
      if (rows >= 0 && col.size() != rows) {
        throw new IllegalArgumentException(
            "column '" + names.get(c) + "' has " + col.size() + " cells, expected " + rows);
      }
      rows = col.size();
      cells[c] = col.toArray(String[]::new);
    }
    return new RawTable(names, cells, Math.max(rows, 0));
  }

  /** Whether a cell counts as missing (see the class comment). */
  public static boolean isMissing(String cell) {
    if (cell == null) {
      return true;
    }
    String t = cell.strip();
    if (t.isEmpty()) {
      return true;
    }
    return switch (t.toUpperCase(Locale.ROOT)) {
      case "NA", "N/A", "NAN", "NULL" -> true;
      default -> false;
    };
  }

  public List<String> columns() {
    return columns;
  }

  public int rowCount() {
    return rows;
  }

  public int columnCount() {
    return columns.size();
  }

  /** The position of a column, if present. */
  public OptionalInt columnIndex(String name) {
    Integer i = index.get(name);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** The cell at (row, column), possibly {@code null}. */
  public String cell(int row, int column) {
    Objects.checkIndex(row, rows);
    return cells[column][row];
  }

  /** A copy of one column's cells in row order. */
  public List<String> column(String name) {
    return Arrays.asList(cells[require(name)].clone());
  }

  /** The table restricted to the named columns, in the given order. */
  public RawTable select(List<String> names) {
    String[][] out = new String[names.size()][];
    for (int c = 0; c < names.size(); c++) {
      out[c] = cells[require(names.get(c))];
    }
    return new RawTable(names, out, rows);
  }

  /** The table without the named columns (names not present are ignored). */
  public RawTable drop(List<String> names) {
    List<String> keep = new ArrayList<>(columns);
    keep.removeAll(names);
    return select(keep);
  }

  /**
   * The rows at the given indexes, in that order (indexes may repeat), for example the rows PSI
   * found shared, in the order both parties agreed.
   */
  public RawTable rows(int[] rowIndexes) {
    String[][] out = new String[cells.length][rowIndexes.length];
    for (int i = 0; i < rowIndexes.length; i++) {
      int r = Objects.checkIndex(rowIndexes[i], rows);
      for (int c = 0; c < cells.length; c++) {
        out[c][i] = cells[c][r];
      }
    }
    return new RawTable(columns, out, rowIndexes.length);
  }

  int require(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no column '" + name + "'");
    }
    return i;
  }

  /** Internal access to a column without copying. */
  String[] columnCells(int c) {
    return cells[c];
  }

  @Override
  public String toString() {
    return "RawTable[" + rows + " rows, columns " + columns + "]";
  }
}
