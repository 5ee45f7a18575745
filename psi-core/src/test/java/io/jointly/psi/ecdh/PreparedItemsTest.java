package io.jointly.psi.ecdh;

import io.jointly.psi.PsiInput;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.DuplicatePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedItemsTest {
  private static final EcdhPsiParameters PHONE =
      EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder().profile(IdentifierProfile.PHONE).build();

  @Test
  void prepare_equivalentPhoneFormats_becomeOneItem() throws Exception {
    PreparedItems p =
        PreparedItems.prepare(
            PsiInput.ofColumn(List.of("+86 138-0013-8000", "13800138000", "8613800138000")),
            PHONE.toBuilder().duplicatePolicy(DuplicatePolicy.DEDUPLICATE).build());
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.duplicateRows).isEqualTo(2);
    assertThat(p.itemOfRow).containsExactly(0, 0, 0);
  }

  @Test
  void prepare_invalidIdentifierWithFailPolicy_namesRowNotValue() {
    assertThatThrownBy(
            () ->
                PreparedItems.prepare(
                    PsiInput.ofColumn(List.of("13800138000", "555-not-a-phone")), PHONE))
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
        PreparedItems.prepare(
            PsiInput.ofColumn(Arrays.asList("13800138000", "bogus", null, "13900139000")),
            PHONE.toBuilder().invalidIdPolicy(InvalidIdPolicy.SKIP).build());
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.invalidRowsSkipped).isEqualTo(2);
    assertThat(p.itemOfRow).containsExactly(0, -1, -1, 1);
  }

  @Test
  void prepare_duplicateWithRejectPolicy_namesBothRowsNotValue() {
    assertThatThrownBy(
            () ->
                PreparedItems.prepare(
                    PsiInput.ofColumn(List.of("13800138000", "13900139000", "+86 13800138000")),
                    PHONE.toBuilder().duplicatePolicy(DuplicatePolicy.REJECT).build()))
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
                PreparedItems.prepare(
                    PsiInput.ofColumns(List.of(List.of("a"), List.of("b"))),
                    EcdhPsiParameters.RISTRETTO255_SHA512))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("key columns");
  }

  @Test
  void prepare_compositeKey_distinguishesColumnSplits() throws Exception {
    PreparedItems p =
        PreparedItems.prepare(
            PsiInput.ofColumns(List.of(List.of("ab", "a"), List.of("c", "bc"))),
            EcdhPsiParameters.RISTRETTO255_SHA512.toBuilder().keyColumns(2).build());
    assertThat(p.size()).isEqualTo(2);
  }

  @Test
  void rowsOf_sharedItems_includesEveryDuplicateRow() throws Exception {
    PreparedItems p =
        PreparedItems.prepare(
            PsiInput.ofColumn(List.of("x", "y", "x", "z")), EcdhPsiParameters.RISTRETTO255_SHA512);
    assertThat(p.rowsOf(new boolean[] {true, false, false}).toArray()).containsExactly(0, 2);
  }
}
