package io.jointly.lr.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.core.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FeatureTransformPropertyTest {

  private static RawTable randomTable(long seed, int rows) {
    Random rnd = new Random(seed);
    String[] levels = {"a", "b", "c", "d", "e", "f"};
    List<String[]> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(
          new String[] {
            rnd.nextInt(10) == 0 ? "" : Double.toString(rnd.nextGaussian() * 100 + 7),
            rnd.nextInt(12) == 0 ? null : levels[Math.min(rnd.nextInt(8), 5)],
            Integer.toString(rnd.nextInt(3)),
          });
    }
    return RawTable.ofRows(List.of("num", "cat", "small"), out);
  }

  /** The transform rebuilt from its stored state behaves exactly like the fitted one. */
  @Property
  void of_stateOfFittedTransform_roundTripsExactly(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int rows, @ForAll @IntRange(min = 1, max = 8) int minCount)
      throws InputException {
    RawTable train = randomTable(seed, rows);
    RawTable score = randomTable(seed + 1, 30);
    FeatureTransform fitted = FeatureTransform.fit(train, TransformSpec.DEFAULT.withMinCategoryCount(minCount).withKind("cat", ColumnKind.CATEGORICAL));
    List<ColumnTransform> state = new ArrayList<>();
    for (ColumnTransform c : fitted.columns()) { // copy field by field, as a file would
      if (c instanceof ColumnTransform.Numeric n) {
        state.add(new ColumnTransform.Numeric(n.name(), n.mean(), n.scale(), n.missingIndicator()));
      } else if (c instanceof ColumnTransform.Categorical k) {
        state.add(
            new ColumnTransform.Categorical(
                k.name(), new ArrayList<>(k.levels()), k.otherLevel(), k.missingLevel()));
      }
    }
    FeatureTransform restored = FeatureTransform.of(state);
    assertThat(restored).isEqualTo(fitted);
    assertThat(restored.outputColumns()).isEqualTo(fitted.outputColumns());
    assertThat(restored.apply(score).toArray()).isEqualTo(fitted.apply(score).toArray());
  }

  /** One-hot rows sum to at most 1 per categorical column, and exactly 1 on training rows. */
  @Property
  void apply_trainingRows_oneHotBlocksSumToOne(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int rows, @ForAll @IntRange(min = 1, max = 8) int minCount)
      throws InputException {
    RawTable train = randomTable(seed, rows);
    FeatureTransform f = FeatureTransform.fit(train, TransformSpec.DEFAULT.withMinCategoryCount(minCount).withKind("cat", ColumnKind.CATEGORICAL));
    FeatureMatrix m = f.apply(train);
    List<String> names = m.columnNames();
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int c = 0; c < names.size(); c++) {
        if (names.get(c).startsWith("cat=")) {
          s += m.get(r, c);
        }
      }
      assertThat(s).isEqualTo(1.0);
    }
  }
}
