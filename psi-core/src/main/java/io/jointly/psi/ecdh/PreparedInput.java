package io.jointly.psi.ecdh;

/**
 * A party's input after normalisation, validation and de-duplication, ready for {@link
 * EcdhPsi#run(PreparedInput, io.jointly.channel.MessageChannel)}. Preparing first lets a caller
 * report bad input before it opens any connection. Holds normalised identifiers: keep it in memory
 * only; {@code toString} shows counts.
 */
public final class PreparedInput {
  final PreparedItems items;
  final int rows;
  final EcdhPsiParameters parameters;

  PreparedInput(PreparedItems items, int rows, EcdhPsiParameters parameters) {
    this.items = items;
    this.rows = rows;
    this.parameters = parameters;
  }

  /** Input rows. */
  public int rowCount() {
    return rows;
  }

  /** Distinct identifiers that will take part. */
  public int distinctItems() {
    return items.size();
  }

  /** Rows left out because their identifier failed the profile (with the {@code SKIP} policy). */
  public long invalidRowsSkipped() {
    return items.invalidRowsSkipped;
  }

  /** Rows whose identifier repeated an earlier row's (with the {@code DEDUPLICATE} policy). */
  public long duplicateRows() {
    return items.duplicateRows;
  }

  @Override
  public String toString() {
    return "PreparedInput[" + rows + " rows, " + items.size() + " distinct]";
  }
}
