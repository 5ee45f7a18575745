package io.jointly.lr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.core.InputException;
import io.jointly.lr.features.ColumnKind;
import io.jointly.lr.features.RawTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BinningTest {

  private static RawTable column(String name, List<String> cells) {
    return RawTable.ofColumns(List.of(name), List.of(cells));
  }

  @Test
  void numeric_quantileBins_equalSizesOnDistinctValues() throws InputException {
    List<String> cells = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      cells.add(Integer.toString(i));
    }
    Binning b = Binning.fit(column("x", cells), "x", ColumnKind.NUMERIC, 4, 1);
    assertThat(b.upperEdges()).containsExactly(25, 50, 75);
    assertThat(b.bins()).extracting(Binning.Bin::rows).containsExactly(25, 25, 25, 25);
    assertThat(b.bins().get(0).label()).isEqualTo("(-inf, 25.0]");
    assertThat(b.assignment()[24]).isEqualTo(0);
    assertThat(b.assignment()[25]).isEqualTo(1);
  }

  @Test
  void numeric_smallBinsMergedWithSmallerNeighbour_smallMissingBinSuppressed() throws InputException {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cells.add("1");
    }
    for (int i = 0; i < 3; i++) {
      cells.add("2"); // a tiny middle bin
    }
    for (int i = 0; i < 40; i++) {
      cells.add("3");
    }
    cells.add("");
    cells.add("NA");
    Binning b = Binning.fit(column("x", cells), "x", ColumnKind.NUMERIC, 10, 5);
    assertThat(b.bins()).extracting(Binning.Bin::rows).containsExactly(50, 43, 2);
    assertThat(b.bins()).extracting(Binning.Bin::suppressed).containsExactly(false, false, true);
    assertThat(b.bins().get(2).label()).isEqualTo("missing");
    int[] y = new int[cells.size()];
    y[0] = 1;
    y[cells.size() - 1] = 1;
    List<InformationValue.BinCount> counts = b.counts(y);
    assertThat(counts.get(0)).isEqualTo(new InformationValue.BinCount(0, 1, 49, false));
    assertThat(counts.get(2)).isEqualTo(new InformationValue.BinCount(2, 0, 0, true));
  }

  @Test
  void categorical_rareLevelsPooled_otherSuppressedWhenStillSmall() throws InputException {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cells.add(i % 2 == 0 ? "cellular" : "telephone ");
    }
    cells.add("fax");
    cells.add("pigeon");
    Binning b = Binning.fit(column("contact", cells), "contact", ColumnKind.CATEGORICAL, 10, 5);
    assertThat(b.bins()).extracting(Binning.Bin::label).containsExactly("cellular", "telephone", "__other__");
    assertThat(b.bins()).extracting(Binning.Bin::suppressed).containsExactly(false, false, true);
    assertThat(b.assignment()[21]).isEqualTo(2);
  }

  @Test
  void fit_nonNumericCell_failsWithoutValueInMessage() {
    assertThatThrownBy(() -> Binning.fit(column("x", List.of("1", "oops")), "x", ColumnKind.NUMERIC, 4, 1))
        .isInstanceOf(InputException.class)
        .hasMessageNotContaining("oops");
  }

  /** Known answer, computed by hand from the definitions with α = 0.5. */
  @Test
  void informationValue_twoBins_matchesHandComputation() {
    List<InformationValue.BinCount> c =
        List.of(new InformationValue.BinCount(0, 30, 70, false), new InformationValue.BinCount(1, 10, 90, false));
    InformationValue iv = InformationValue.of(c);
    double e0 = 30.5 / 41;
    double n0 = 70.5 / 161;
    double e1 = 10.5 / 41;
    double n1 = 90.5 / 161;
    assertThat(iv.bins().get(0).woe()).isCloseTo(Math.log(e0 / n0), within(1e-12));
    assertThat(iv.bins().get(1).woe()).isCloseTo(Math.log(e1 / n1), within(1e-12));
    assertThat(iv.iv())
        .isCloseTo((e0 - n0) * Math.log(e0 / n0) + (e1 - n1) * Math.log(e1 / n1), within(1e-12));
    // 0.4027 to four places, from the same formula evaluated independently in Python 3.
    assertThat(iv.iv()).isCloseTo(0.4027, within(5e-5));
  }

  @Test
  void informationValue_suppressedAndBankSmallBins_reportedNotDropped() {
    List<InformationValue.BinCount> c =
        List.of(
            new InformationValue.BinCount(0, 30, 70, false),
            new InformationValue.BinCount(1, 0, 0, true),
            new InformationValue.BinCount(2, 1, 2, false),
            new InformationValue.BinCount(3, 10, 90, false));
    InformationValue iv = InformationValue.of(c, 0.5, 5);
    assertThat(iv.bins()).hasSize(4);
    assertThat(iv.bins()).extracting(InformationValue.BinWoe::suppressed).containsExactly(false, true, true, false);
    InformationValue withoutSmall =
        InformationValue.of(List.of(c.get(0), c.get(3)), 0.5, 5);
    assertThat(iv.iv()).isEqualTo(withoutSmall.iv());
    assertThatThrownBy(() -> new InformationValue.BinCount(1, 3, 0, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void informationValue_randomCounts_nonNegativeAndFinite(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int bins) {
    Random rnd = new Random(seed);
    List<InformationValue.BinCount> c = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      c.add(new InformationValue.BinCount(b, rnd.nextInt(20), rnd.nextInt(200), false));
    }
    InformationValue iv = InformationValue.of(c);
    assertThat(iv.iv()).isFinite().isGreaterThanOrEqualTo(0);
    for (InformationValue.BinWoe w : iv.bins()) {
      assertThat(w.woe()).isFinite();
      assertThat(w.iv()).isGreaterThanOrEqualTo(0);
    }
  }
}
