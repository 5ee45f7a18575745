package io.jointly.lr.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jointly.core.InputException;
import io.jointly.lr.features.ColumnTransform;
import io.jointly.lr.features.FeatureMatrix;
import io.jointly.lr.features.FeatureTransform;
import io.jointly.lr.features.RawTable;
import io.jointly.lr.features.TransformSpec;
import io.jointly.psi.RowIndexes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartyModelTest {

  @Test
  void splitModel_bankAndPartnerScores_addUpToCentralProbabilities() throws InputException {
    Random rnd = new Random(3);
    int n = 200;
    List<String[]> bankRows = new ArrayList<>();
    List<String[]> partnerRows = new ArrayList<>();
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double age = 20 + rnd.nextInt(50);
      String job = rnd.nextBoolean() ? "admin." : "technician";
      double calls = rnd.nextInt(5);
      bankRows.add(new String[] {Double.toString(age), job});
      partnerRows.add(new String[] {Double.toString(calls), rnd.nextBoolean() ? "cellular" : ""});
      y[i] = rnd.nextDouble() < LogisticMath.sigmoid((age - 45) / 10 + calls - 2) ? 1 : 0;
    }
    RawTable bankRaw = RawTable.ofRows(List.of("age", "job"), bankRows);
    RawTable partnerRaw = RawTable.ofRows(List.of("calls", "contact"), partnerRows);
    FeatureTransform bankT = FeatureTransform.fit(bankRaw, TransformSpec.DEFAULT);
    FeatureTransform partnerT = FeatureTransform.fit(partnerRaw, TransformSpec.DEFAULT);
    List<FeatureMatrix> blocks = List.of(bankT.apply(bankRaw), partnerT.apply(partnerRaw));
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    LogisticRegressionModel m =
        LogisticRegression.fit(blocks, y, RowIndexes.of(all), RowIndexes.of(), LogisticRegressionParameters.DEFAULT);

    PartyModel bank = m.bankModel(bankT);
    PartyModel partner = m.partnerModel(1, partnerT);
    assertThat(partner.intercept()).isEmpty();
    assertThat(partner.role()).isEqualTo(PartyModel.Role.PARTNER);
    assertThat(bank.intercept()).hasValue(m.weights().intercept());

    double[] partnerScores = partner.partialScores(partnerRaw);
    double[] p = bank.probabilities(bankT.apply(bankRaw), partnerScores);
    assertThat(p).containsExactly(m.probabilities(blocks), within(0.0));
    assertThatThrownBy(() -> partner.probabilities(partnerT.apply(partnerRaw)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void restore_storedState_equalsOriginal_otherVersionOrRoleMismatchRejected() {
    FeatureTransform t =
        FeatureTransform.of(
            List.of(
                new ColumnTransform.Numeric("x", 1.5, 2, true),
                new ColumnTransform.Categorical("c", List.of("a", "b"), true, false)));
    PartyModel partner = PartyModel.partner(t, new double[] {0.1, -0.2, 0.3, 0.4, -0.5});
    PartyModel restored =
        PartyModel.restore(
            partner.formatVersion(),
            partner.role(),
            FeatureTransform.of(partner.transform().columns()),
            partner.weights(),
            partner.intercept());
    assertThat(restored).isEqualTo(partner);
    assertThatThrownBy(
            () -> PartyModel.restore(2, PartyModel.Role.PARTNER, t, partner.weights(), OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(
            () -> PartyModel.restore(1, PartyModel.Role.PARTNER, t, partner.weights(), OptionalDouble.of(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PartyModel.partner(t, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void partnerModel_exposesNoLabelDerivedField() {
    // The partner's model type offers only role, version, transform and weights; intercept empty.
    List<String> accessors =
        Arrays.stream(PartyModel.class.getDeclaredMethods())
            .filter(mm -> java.lang.reflect.Modifier.isPublic(mm.getModifiers()))
            .map(java.lang.reflect.Method::getName)
            .distinct()
            .sorted()
            .toList();
    assertThat(accessors)
        .containsExactlyInAnyOrder(
            "bank", "partner", "restore", "formatVersion", "role", "transform", "weights",
            "intercept", "partialScores", "probabilities", "equals", "hashCode", "toString");
  }
}
