package io.jointly.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedItemsTest {
  private static PreparedItems prepare(PsiInput input, IdentifierProfile profile, int columns, InvalidIdPolicy invalid, DuplicatePolicy duplicates)
      throws InputException {
    return PreparedItems.prepare(input, profile, columns, invalid, duplicates, 1 << 27);
  }

  private static PreparedItems phone(PsiInput input, InvalidIdPolicy invalid, DuplicatePolicy duplicates) throws InputException {
    return prepare(input, IdentifierProfile.PHONE, 1, invalid, duplicates);
  }

  @Test
  void prepare_equivalentPhoneFormats_becomeOneItem() throws Exception {
    PreparedItems p =
        phone(
            PsiInput.ofColumn(List.of("+86 138-0013-8000", "13800138000", "8613800138000")),
            InvalidIdPolicy.FAIL,
            DuplicatePolicy.DEDUPLICATE);
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.duplicateRows()).isEqualTo(2);
    assertThat(p.itemOfRow()).containsExactly(0, 0, 0);
  }

  @Test
  void prepare_invalidIdentifierWithFailPolicy_namesRowNotValue() {
    assertThatThrownBy(
            () ->
                phone(PsiInput.ofColumn(List.of("13800138000", "555-not-a-phone")), InvalidIdPolicy.FAIL, DuplicatePolicy.DEDUPLICATE))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.INVALID_IDENTIFIER);
              assertThat(e.row()).isEqualTo(2);
              assertThat(e.getMessage()).doesNotContain("555").contains("row 2");
            });
  }

  @Test
  void prepare_invalidIdentifierWithSkipPolicy_countsAndSkips() throws Exception {
    PreparedItems p =
        phone(
            PsiInput.ofColumn(Arrays.asList("13800138000", "bogus", null, "13900139000")),
            InvalidIdPolicy.SKIP,
            DuplicatePolicy.DEDUPLICATE);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.invalidRowsSkipped()).isEqualTo(2);
    assertThat(p.itemOfRow()).containsExactly(0, -1, -1, 1);
  }

  @Test
  void prepare_duplicateWithRejectPolicy_namesBothRowsNotValue() {
    assertThatThrownBy(
            () ->
                phone(
                    PsiInput.ofColumn(List.of("13800138000", "13900139000", "+86 13800138000")),
                    InvalidIdPolicy.FAIL,
                    DuplicatePolicy.REJECT))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InputException.Kind.DUPLICATE_IDENTIFIER);
              assertThat(e.row()).isEqualTo(3);
              assertThat(e.getMessage()).contains("row 1").doesNotContain("138");
            });
  }

  @Test
  void prepare_wrongColumnCount_isRejected() {
    assertThatThrownBy(
            () ->
                prepare(
                    PsiInput.ofColumns(List.of(List.of("a"), List.of("b"))),
                    IdentifierProfile.RAW,
                    1,
                    InvalidIdPolicy.FAIL,
                    DuplicatePolicy.DEDUPLICATE))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("key columns");
  }

  @Test
  void prepare_compositeKey_distinguishesColumnSplits() throws Exception {
    PreparedItems p =
        prepare(
            PsiInput.ofColumns(List.of(List.of("ab", "a"), List.of("c", "bc"))),
            IdentifierProfile.RAW,
            2,
            InvalidIdPolicy.FAIL,
            DuplicatePolicy.DEDUPLICATE);
    assertThat(p.size()).isEqualTo(2);
  }

  @Test
  void rowsOf_sharedItems_includesEveryDuplicateRow() throws Exception {
    PreparedItems p =
        prepare(PsiInput.ofColumn(List.of("x", "y", "x", "z")), IdentifierProfile.RAW, 1, InvalidIdPolicy.FAIL, DuplicatePolicy.DEDUPLICATE);
    assertThat(p.rowsOf(new boolean[] {true, false, false}).toArray()).containsExactly(0, 2);
  }
}
