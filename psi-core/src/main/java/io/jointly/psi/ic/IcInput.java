package io.jointly.psi.ic;

import io.jointly.core.InputException;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.PsiInput;
import io.jointly.psi.RowIndexes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A party's rows turned into the distinct byte strings it hashes in interconnection ECDH-PSI, with
 * the map from rows to items so results come back as row indexes.
 *
 * <h2>The hashed bytes</h2>
 *
 * The standard does not say (spec §5.2, open question Q4); the SecretFlow reference hashes, per row,
 * the selected CSV values in the order the key columns were named, each trimmed of ASCII
 * whitespace (space, tab, line feed, vertical tab, form feed, carriage return), joined with {@code
 * ","}, as raw bytes (UTF-8 in practice), with no other normalisation. Jointly does the same:
 *
 * <ol>
 *   <li>each key value is trimmed of exactly that ASCII whitespace;
 *   <li>with the profile {@link IdentifierProfile#RAW} ({@link IcParameters#profile()}, the
 *       default) nothing else happens: this is the reference's rule, what an unmodified SecretFlow
 *       party hashes. (It differs from {@code raw} in Jointly's own PSI, which also trims a no-break
 *       space, an ideographic space and a byte-order mark: the reference keeps those.) With {@code
 *       phone}, {@code email} or {@code cn-id} the trimmed value is normalised by that profile, and
 *       the partner must feed the same canonical strings ({@code +8613800138000} for a mobile
 *       number): a SecretFlow partner does no normalisation, so its file must already hold them;
 *   <li>the values are joined with {@code ","} and encoded as UTF-8.
 * </ol>
 *
 * A row is invalid if a value is missing or empty after trimming, fails the profile, contains an
 * unpaired UTF-16 surrogate, or (with two or more key columns) contains a {@code ","}, which would
 * make the joined string ambiguous. Invalid rows fail the run or are skipped ({@link
 * InvalidIdPolicy}); repeated items are rejected or merged ({@link DuplicatePolicy}), and each
 * distinct item is sent once (the reference sends every row, so its duplicates show to the peer as
 * equal ciphertexts; Jointly's do not).
 *
 * <p>Immutable once built.
 */
public final class IcInput {
  final byte[][] items;
  final int[] itemOfRow;
  final long invalidRowsSkipped;
  final long duplicateRows;

  private IcInput(byte[][] items, int[] itemOfRow, long invalid, long duplicates) {
    this.items = items;
    this.itemOfRow = itemOfRow;
    this.invalidRowsSkipped = invalid;
    this.duplicateRows = duplicates;
  }

  /**
   * Prepares {@code input} under {@code params}' profile and policies.
   *
   * @throws InputException naming the first offending row (never its value)
   */
  public static IcInput prepare(PsiInput input, IcParameters params) throws InputException {
    int rows = input.rowCount();
    int[] itemOfRow = new int[rows];
    Map<Key, Integer> index = new HashMap<>(Math.max(16, rows * 4 / 3 + 1));
    byte[][] items = new byte[rows][];
    int n = 0;
    long invalid = 0;
    long duplicates = 0;
    for (int row = 0; row < rows; row++) {
      byte[] item = hashInput(input, row, params.profile());
      if (item == null) {
        if (params.invalidIdPolicy() == InvalidIdPolicy.FAIL) {
          throw new InputException(
              InputException.Kind.INVALID_IDENTIFIER,
              row + 1L,
              "identifier is empty or not valid for "
                  + (params.profile() == IdentifierProfile.RAW ? "the reference rule" : params.profile().displayName()));
        }
        invalid++;
        itemOfRow[row] = -1;
        continue;
      }
      Integer existing = index.putIfAbsent(new Key(item), n);
      if (existing != null) {
        if (params.duplicatePolicy() == DuplicatePolicy.REJECT) {
          throw new InputException(
              InputException.Kind.DUPLICATE_IDENTIFIER, row + 1L, "identifier repeats an earlier row");
        }
        duplicates++;
        itemOfRow[row] = existing;
      } else {
        items[n] = item;
        itemOfRow[row] = n++;
      }
    }
    if (n > IcParameters.MAX_SET_SIZE) {
      throw new InputException(
          InputException.Kind.INVALID_INPUT, -1, "more than " + IcParameters.MAX_SET_SIZE + " items");
    }
    return new IcInput(Arrays.copyOf(items, n), itemOfRow, invalid, duplicates);
  }

  /** The bytes row {@code row} hashes to, or null if the row is invalid. */
  static byte[] hashInput(PsiInput input, int row, IdentifierProfile profile) {
    int columns = input.columnCount();
    StringBuilder joined = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      String v = input.value(row, c);
      if (v == null) {
        return null;
      }
      v = trimAsciiWhitespace(v);
      if (v.isEmpty()) {
        return null;
      }
      if (profile != IdentifierProfile.RAW) {
        Optional<String> normalised = profile.normalize(v);
        if (normalised.isEmpty()) {
          return null;
        }
        v = normalised.get();
      }
      if (columns > 1 && v.indexOf(',') >= 0) {
        return null;
      }
      if (c > 0) {
        joined.append(',');
      }
      joined.append(v);
    }
    String s = joined.toString();
    if (hasUnpairedSurrogate(s)) {
      return null;
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Trims space, \t, \n, \u000B, \f and \r at both ends (C {@code isspace} in the "C" locale). */
  static String trimAsciiWhitespace(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isAsciiSpace(s.charAt(from))) {
      from++;
    }
    while (to > from && isAsciiSpace(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The number of distinct items. */
  public int distinctItems() {
    return items.length;
  }

  /** Input rows. */
  public int rows() {
    return itemOfRow.length;
  }

  /** Rows left out as invalid. */
  public long invalidRowsSkipped() {
    return invalidRowsSkipped;
  }

  /** Rows whose item repeated an earlier row's. */
  public long duplicateRows() {
    return duplicateRows;
  }

  /** Rows whose item is marked in {@code shared}, in row order. */
  RowIndexes rowsOf(boolean[] shared) {
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
    return RowIndexes.of(rows);
  }

  /** Byte-array key with value equality, for de-duplication; never prints its content. */
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

  @Override
  public String toString() {
    return "IcInput[" + items.length + " distinct items from " + itemOfRow.length + " rows]";
  }
}
