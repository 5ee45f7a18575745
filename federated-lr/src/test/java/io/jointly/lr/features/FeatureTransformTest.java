package io.jointly.lr.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.core.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

  private static RawTable table(List<String> cols, String[]... rows) {
    return RawTable.ofRows(cols, List.of(rows));
  }

  @Test
  void fit_numericColumn_standardisesToMeanZeroUnitVariance() throws InputException {
    RawTable t = table(List.of("x"), new String[] {"1"}, new String[] {"2"}, new String[] {"3"}, new String[] {"6"});
    FeatureTransform f = FeatureTransform.fit(t, TransformSpec.DEFAULT);
    ColumnTransform.Numeric n = (ColumnTransform.Numeric) f.columns().get(0);
    assertThat(n.mean()).isEqualTo(3.0);
    assertThat(n.scale()).isCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4.0), within(1e-15));
    FeatureMatrix m = f.apply(t);
    double sum = 0;
    double sq = 0;
    for (int r = 0; r < 4; r++) {
      sum += m.get(r, 0);
      sq += m.get(r, 0) * m.get(r, 0);
    }
    assertThat(sum).isCloseTo(0, within(1e-12));
    assertThat(sq / 4).isCloseTo(1, within(1e-12));
  }

  @Test
  void apply_missingNumeric_imputesMeanAndSetsIndicator() throws InputException {
    RawTable t = table(List.of("x"), new String[] {"1"}, new String[] {""}, new String[] {"3"}, new String[] {"NA"});
    FeatureTransform f = FeatureTransform.fit(t, TransformSpec.DEFAULT);
    assertThat(f.outputColumns()).containsExactly("x", "x__missing");
    FeatureMatrix m = f.apply(t);
    assertThat(m.row(0)).containsExactly(-1, 0);
    assertThat(m.row(1)).containsExactly(0, 1);
    assertThat(m.row(3)).containsExactly(0, 1);
    FeatureTransform noIndicator =
        FeatureTransform.fit(t, TransformSpec.DEFAULT.withMissingIndicators(false));
    assertThat(noIndicator.outputColumns()).containsExactly("x");
  }

  @Test
  void fit_constantColumn_keepsScaleOneAndEncodesZero() throws InputException {
    RawTable t = table(List.of("c"), new String[] {"5"}, new String[] {"5"});
    FeatureTransform f = FeatureTransform.fit(t, TransformSpec.DEFAULT);
    assertThat(((ColumnTransform.Numeric) f.columns().get(0)).scale()).isEqualTo(1.0);
    assertThat(f.apply(t).toArray()).containsOnly(0.0);
  }

  @Test
  void categorical_rareLevelsPooled_unseenToOther_missingOwnLevel() throws InputException {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(new String[] {"a"});
      rows.add(new String[] {" b "});
    }
    rows.add(new String[] {"rare"});
    rows.add(new String[] {null});
    RawTable t = RawTable.ofRows(List.of("job"), rows);
    FeatureTransform f = FeatureTransform.fit(t, TransformSpec.DEFAULT.withMinCategoryCount(2));
    assertThat(f.outputColumns())
        .containsExactly("job=a", "job=b", "job=__other__", "job=__missing__");
    RawTable score =
        table(List.of("job"), new String[] {"b"}, new String[] {"never-seen"}, new String[] {"N/A"}, new String[] {"rare"});
    FeatureMatrix m = f.apply(score);
    assertThat(m.row(0)).containsExactly(0, 1, 0, 0);
    assertThat(m.row(1)).containsExactly(0, 0, 1, 0);
    assertThat(m.row(2)).containsExactly(0, 0, 0, 1);
    assertThat(m.row(3)).containsExactly(0, 0, 1, 0);
  }

  @Test
  void categorical_noRareLevelInTraining_unseenEncodesAllZero() throws InputException {
    RawTable t = table(List.of("k"), new String[] {"a"}, new String[] {"b"});
    FeatureTransform f = FeatureTransform.fit(t, TransformSpec.DEFAULT.withMinCategoryCount(1));
    assertThat(f.apply(table(List.of("k"), new String[] {"z"}, new String[] {""})).toArray())
        .containsOnly(0.0);
  }

  @Test
  void fit_detectsKinds_andOverrideForcesCategorical() throws InputException {
    RawTable t = table(List.of("num", "txt", "code"), new String[] {"1.5", "x", "1010"}, new String[] {"-2", "y", "2020"});
    FeatureTransform auto = FeatureTransform.fit(t, TransformSpec.DEFAULT.withMinCategoryCount(1));
    assertThat(auto.columns().get(0)).isInstanceOf(ColumnTransform.Numeric.class);
    assertThat(auto.columns().get(1)).isInstanceOf(ColumnTransform.Categorical.class);
    assertThat(auto.columns().get(2)).isInstanceOf(ColumnTransform.Numeric.class);
    FeatureTransform forced =
        FeatureTransform.fit(
            t, TransformSpec.DEFAULT.withMinCategoryCount(1).withKind("code", ColumnKind.CATEGORICAL));
    assertThat(forced.outputColumns()).contains("code=1010", "code=2020");
  }

  @Test
  void apply_nonNumericCellInNumericColumn_failsNamingRowAndColumnNotValue() throws InputException {
    FeatureTransform f =
        FeatureTransform.fit(table(List.of("x"), new String[] {"1"}, new String[] {"2"}), TransformSpec.DEFAULT);
    assertThatThrownBy(() -> f.apply(table(List.of("x"), new String[] {"3"}, new String[] {"secret-value"})))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("row 2")
        .hasMessageContaining("'x'")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void apply_missingColumn_isInputError_extraColumnsIgnored() throws InputException {
    FeatureTransform f =
        FeatureTransform.fit(table(List.of("x"), new String[] {"1"}, new String[] {"2"}), TransformSpec.DEFAULT);
    assertThatThrownBy(() -> f.apply(table(List.of("y"), new String[] {"1"})))
        .isInstanceOf(InputException.class);
    assertThat(f.apply(table(List.of("y", "x"), new String[] {"q", "1.5"})).toArray()).containsExactly(0.0);
  }

  @Test
  void fit_kindForAbsentColumn_isInputError() {
    RawTable t = table(List.of("x"), new String[] {"1"});
    assertThatThrownBy(() -> FeatureTransform.fit(t, TransformSpec.DEFAULT.withKind("nope", ColumnKind.NUMERIC)))
        .isInstanceOf(InputException.class);
  }

  @Test
  void of_collidingOutputNames_isRejected() {
    assertThatThrownBy(
            () ->
                FeatureTransform.of(
                    List.of(
                        new ColumnTransform.Numeric("a=b", 0, 1, false),
                        new ColumnTransform.Categorical("a", List.of("b"), false, false))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
