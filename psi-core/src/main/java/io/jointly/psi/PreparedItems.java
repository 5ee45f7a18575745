package io.jointly.psi;

import io.jointly.core.InputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A party's rows turned into the distinct items it brings to a PSI protocol (either one): each
 * row's key columns normalised by the profile and encoded by {@link ItemEncoder}, invalid rows
 * failed or skipped, duplicates rejected or merged. Holds normalised identifiers: keep it in memory
 * only; {@code toString} shows counts. Immutable after {@link #prepare}; the arrays it hands out are
 * its own (do not modify them).
 */
public final class PreparedItems {
  /** Distinct encoded items, in the order of their first row. */
  private final byte[][] items;
  /** For each input row, the index of its item, or -1 if the row was skipped. */
  private final int[] itemOfRow;

  private final long invalidRowsSkipped;
  private final long duplicateRows;

  private PreparedItems(byte[][] items, int[] itemOfRow, long invalid, long duplicates) {
    this.items = items;
    this.itemOfRow = itemOfRow;
    this.invalidRowsSkipped = invalid;
    this.duplicateRows = duplicates;
  }

  /** Distinct items. */
  public int size() {
    return items.length;
  }

  /** Item {@code i}'s encoding (the array itself). */
  public byte[] item(int i) {
    return items[i];
  }

  /** For each input row, the index of its item, or -1 if the row was skipped (the array itself). */
  public int[] itemOfRow() {
    return itemOfRow;
  }

  /** Rows left out because their identifier failed the profile. */
  public long invalidRowsSkipped() {
    return invalidRowsSkipped;
  }

  /** Rows whose identifier repeated an earlier row's. */
  public long duplicateRows() {
    return duplicateRows;
  }

  /**
   * Normalises, validates and de-duplicates the rows of {@code input}.
   *
   * @param maxItems the most distinct items the protocol takes
   * @throws InputException naming the first bad row (never its value)
   */
  public static PreparedItems prepare(
      PsiInput input,
      IdentifierProfile profile,
      int keyColumns,
      InvalidIdPolicy invalidIdPolicy,
      DuplicatePolicy duplicatePolicy,
      int maxItems)
      throws InputException {
    if (input.columnCount() != keyColumns) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT,
          -1,
          "input has " + input.columnCount() + " key columns, parameters say " + keyColumns);
    }
    int rows = input.rowCount();
    int[] itemOfRow = new int[rows];
    Map<Key, Integer> index = new HashMap<>(Math.max(16, rows * 4 / 3 + 1));
    byte[][] items = new byte[rows][];
    int n = 0;
    long invalid = 0;
    long duplicates = 0;
    String[] parts = new String[input.columnCount()];
    for (int row = 0; row < rows; row++) {
      byte[] encoded = normalise(input, row, profile, parts);
      if (encoded == null) {
        if (invalidIdPolicy == InvalidIdPolicy.FAIL) {
          throw new InputException(
              InputException.Kind.INVALID_IDENTIFIER,
              row + 1L,
              "identifier is not a valid " + profile.displayName() + " value");
        }
        invalid++;
        itemOfRow[row] = -1;
        continue;
      }
      Key key = new Key(encoded);
      Integer existing = index.putIfAbsent(key, n);
      if (existing != null) {
        if (duplicatePolicy == DuplicatePolicy.REJECT) {
          throw new InputException(
              InputException.Kind.DUPLICATE_IDENTIFIER,
              row + 1L,
              "identifier repeats row " + (firstRowOf(itemOfRow, row, existing) + 1));
        }
        duplicates++;
        itemOfRow[row] = existing;
      } else {
        items[n] = encoded;
        itemOfRow[row] = n++;
      }
    }
    if (n > maxItems) {
      throw new InputException(InputException.Kind.INVALID_INPUT, -1, "more than " + maxItems + " items");
    }
    return new PreparedItems(Arrays.copyOf(items, n), itemOfRow, invalid, duplicates);
  }

  private static int firstRowOf(int[] itemOfRow, int limit, int item) {
    for (int r = 0; r < limit; r++) {
      if (itemOfRow[r] == item) {
        return r;
      }
    }
    return -1;
  }

  private static byte[] normalise(PsiInput input, int row, IdentifierProfile profile, String[] parts) {
    if (parts.length == 1) {
      Optional<String> v = profile.normalize(input.value(row, 0));
      return v.map(ItemEncoder::encode).orElse(null);
    }
    for (int c = 0; c < parts.length; c++) {
      Optional<String> v = profile.normalize(input.value(row, c));
      if (v.isEmpty()) {
        return null;
      }
      parts[c] = v.get();
    }
    return ItemEncoder.encode(List.of(parts));
  }

  /** For each item, the first input row that carries it. */
  public int[] firstRows() {
    int[] first = new int[items.length];
    Arrays.fill(first, -1);
    for (int r = 0; r < itemOfRow.length; r++) {
      int item = itemOfRow[r];
      if (item >= 0 && first[item] < 0) {
        first[item] = r;
      }
    }
    return first;
  }

  /** Rows whose item is marked in {@code shared}, as sorted indexes. */
  public RowIndexes rowsOf(boolean[] shared) {
    int count = 0;
    for (int item : itemOfRow) {
      if (item >= 0 && shared[item]) {
        count++;
      }
    }
    int[] rows = new int[count];
    int k = 0;
    for (int r = 0; r < itemOfRow.length; r++) {
      int item = itemOfRow[r];
      if (item >= 0 && shared[item]) {
        rows[k++] = r;
      }
    }
    return RowIndexes.ofSortedUnique(rows);
  }

  @Override
  public String toString() {
    return "PreparedItems[" + items.length + " distinct of " + itemOfRow.length + " rows]";
  }

  /** Byte-array key with value equality, for de-duplication. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Key[redacted]";
    }
  }
}
