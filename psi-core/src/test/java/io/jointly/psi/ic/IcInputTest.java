package io.jointly.psi.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jointly.core.InputException;
import io.jointly.psi.DuplicatePolicy;
import io.jointly.psi.IdentifierProfile;
import io.jointly.psi.InvalidIdPolicy;
import io.jointly.psi.PsiInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes a row hashes to in interconnection mode (spec §5.2, §9.4 "CSV/hash-input tests"): the
 * reference's rule for {@code raw} (ASCII whitespace trimmed, values joined with {@code ","} in
 * the order of the key columns, nothing else), Jointly's profiles after that trimming, and the rows
 * that are invalid.
 */
class IcInputTest {
  private static String hashed(IdentifierProfile profile, String... values) {
    List<List<String>> columns = java.util.Arrays.stream(values).map(List::of).toList();
    byte[] b = IcInput.hashInput(PsiInput.ofColumns(columns), 0, profile);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void raw_trimsAsciiWhitespaceAsTheReference() {
    assertThat(hashed(IdentifierProfile.RAW, " id1 \r")).isEqualTo("id1");
    assertThat(hashed(IdentifierProfile.RAW, "\t\u000b\fid1\n")).isEqualTo("id1");
    assertThat(hashed(IdentifierProfile.RAW, "i d 1")).isEqualTo("i d 1");
  }

  @Test
  void raw_keepsWhatTheReferenceKeeps_unlikeJointlysOwnRaw() {
    // The reference trims ASCII whitespace only; Jointly's raw profile would also trim these.
    assertThat(hashed(IdentifierProfile.RAW, "\u00a0id1\u3000")).isEqualTo("\u00a0id1\u3000");
    assertThat(IdentifierProfile.RAW.normalize("\u00a0id1\u3000")).contains("id1");
    // No case folding, no Unicode normalisation, the UTF-8 bytes of the text.
    assertThat(hashed(IdentifierProfile.RAW, "Ab\u00e9")).isEqualTo("Ab\u00e9");
  }

  @Test
  void severalColumns_joinedWithACommaInTheirOrder() {
    assertThat(hashed(IdentifierProfile.RAW, " 110101 ", "13800138000\r")).isEqualTo("110101,13800138000");
    assertThat(hashed(IdentifierProfile.RAW, "13800138000", "110101")).isEqualTo("13800138000,110101");
  }

  @Test
  void invalid_emptyAfterTrimming_orACommaInAJoinedValue() {
    assertThat(hashed(IdentifierProfile.RAW, " \r")).isNull();
    assertThat(hashed(IdentifierProfile.RAW, "a,b", "c")).isNull();
    // One column: the value is the item, comma and all.
    assertThat(hashed(IdentifierProfile.RAW, "a,b")).isEqualTo("a,b");
    assertThat(hashed(IdentifierProfile.RAW, "\ud800")).isNull();
  }

  @Test
  void profile_appliedAfterTheReferenceTrimming() {
    assertThat(hashed(IdentifierProfile.PHONE, " 138-0013-8000 \r")).isEqualTo("+8613800138000");
    assertThat(hashed(IdentifierProfile.EMAIL, "Ann@Example.COM")).isEqualTo("ann@example.com");
    assertThat(hashed(IdentifierProfile.PHONE, "not a phone")).isNull();
  }

  @Test
  void prepare_invalidRowFails_namingTheRowNotTheValue() {
    IcParameters p = IcParameters.defaults(0).toBuilder().profile(IdentifierProfile.PHONE).build();
    assertThatThrownBy(() -> IcInput.prepare(PsiInput.ofColumn(List.of("13800138000", "secret-value")), p))
        .isInstanceOfSatisfying(
            InputException.class,
            e -> {
              assertThat(e.row()).isEqualTo(2);
              assertThat(e.getMessage()).contains("phone").doesNotContain("secret-value");
            });
  }

  @Test
  void prepare_skipAndDeduplicate_mapRowsToItems() throws Exception {
    IcParameters p =
        IcParameters.defaults(0).toBuilder()
            .invalidIdPolicy(InvalidIdPolicy.SKIP)
            .duplicatePolicy(DuplicatePolicy.DEDUPLICATE)
            .build();
    IcInput in = IcInput.prepare(PsiInput.ofColumn(List.of("a", " ", "a\r", "b")), p);
    assertThat(in.rows()).isEqualTo(4);
    assertThat(in.distinctItems()).isEqualTo(2);
    assertThat(in.invalidRowsSkipped()).isEqualTo(1);
    assertThat(in.duplicateRows()).isEqualTo(1);
    assertThat(in.rowsOf(new boolean[] {true, false}).toArray()).containsExactly(0, 2);
  }
}
