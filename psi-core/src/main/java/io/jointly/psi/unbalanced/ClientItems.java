package io.jointly.psi.unbalanced;

import io.jointly.core.InputException;
import io.jointly.oprf.Oprf;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RowIndexes;
import io.jointly.psi.unbalanced.internal.Items;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's rows as distinct items, normalised by the cache's profile as ECDH PSI would, with
 * each row's item so that results come back as row indexes. Package-private.
 */
final class ClientItems {
  final byte[][] items;
  final int[] itemOfRow;
  final long invalidRowsSkipped;
  final long duplicateRows;

  private ClientItems(byte[][] items, int[] itemOfRow, long invalid, long duplicates) {
    this.items = items;
    this.itemOfRow = itemOfRow;
    this.invalidRowsSkipped = invalid;
    this.duplicateRows = duplicates;
  }

  static ClientItems prepare(
      PsiInput input, IdentifierProfile profile, int keyColumns, InvalidIdPolicy invalidIds, DuplicatePolicy duplicates)
      throws InputException {
    if (input.columnCount() != keyColumns) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT,
          -1,
          "input has " + input.columnCount() + " key columns, the cache " + keyColumns);
    }
    int rows = input.rowCount();
    int[] itemOfRow = new int[rows];
    Map<Key, Integer> index = new HashMap<>(Math.max(16, rows * 4 / 3 + 1));
    List<byte[]> items = new ArrayList<>();
    List<String> values = new ArrayList<>(keyColumns);
    long invalid = 0;
    long dups = 0;
    for (int row = 0; row < rows; row++) {
      values.clear();
      for (int c = 0; c < keyColumns; c++) {
        values.add(input.value(row, c));
      }
      byte[] item = Items.encode(values, profile);
      if (item == null || item.length > Oprf.MAX_INPUT_LENGTH) {
        if (invalidIds == InvalidIdPolicy.FAIL) {
          throw new InputException(
              InputException.Kind.INVALID_IDENTIFIER,
              row + 1L,
              "identifier is not a valid " + profile.displayName() + " value");
        }
        invalid++;
        itemOfRow[row] = -1;
        continue;
      }
      Integer existing = index.putIfAbsent(new Key(item), items.size());
      if (existing != null) {
        if (duplicates == DuplicatePolicy.REJECT) {
          throw new InputException(
              InputException.Kind.DUPLICATE_IDENTIFIER, row + 1L, "identifier repeats an earlier row");
        }
        dups++;
        itemOfRow[row] = existing;
      } else {
        itemOfRow[row] = items.size();
        items.add(item);
      }
    }
    if (items.size() > UnbalancedPsiParameters.MAX_SET_SIZE) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "more than " + UnbalancedPsiParameters.MAX_SET_SIZE + " items");
    }
    return new ClientItems(items.toArray(byte[][]::new), itemOfRow, invalid, dups);
  }

  int size() {
    return items.length;
  }

  /** Rows whose item is marked shared, as sorted indexes. */
  RowIndexes rowsOf(boolean[] shared) {
    int[] rows = new int[itemOfRow.length];
    int n = 0;
    for (int r = 0; r < itemOfRow.length; r++) {
      int item = itemOfRow[r];
      if (item >= 0 && shared[item]) {
        rows[n++] = r;
      }
    }
    return RowIndexes.of(Arrays.copyOf(rows, n));
  }

  /** Byte-array key with value equality; prints nothing of the value. */
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
