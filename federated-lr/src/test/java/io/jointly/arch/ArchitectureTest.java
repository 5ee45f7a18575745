package io.jointly.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of federated-lr (see STYLE.md and the module README's package map), checked
 * on the compiled classes: the public API in {@code io.jointly.lr} on top, one package per protocol
 * below it that knows neither the API nor the other protocol, the session's shared wire in {@code
 * .internal}, and the plaintext foundation ({@code features} ← {@code training} ← {@code metrics})
 * free of channels, keys and protocols.
 */
class ArchitectureTest {
  private static final JavaClasses LR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.jointly.lr");

  private static final String API = "io.jointly.lr";
  private static final String AGGREGATED = "io.jointly.lr.aggregated..";
  private static final String SECRET_SHARED = "io.jointly.lr.secretshared..";
  private static final String INTERNAL = "io.jointly.lr.internal..";
  private static final String FEATURES = "io.jointly.lr.features..";
  private static final String TRAINING = "io.jointly.lr.training..";
  private static final String METRICS = "io.jointly.lr.metrics..";

  @Test
  void lr_neverTouchesTransportLibrariesOrUpperModules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.grpc..", "io.netty..", "com.google.protobuf..", "io.jointly.transport..", "io.jointly.cli..")
        .check(LR);
  }

  @Test
  void lr_neverPrintsToConsole_norUsesInsecureRandom() {
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err").check(LR);
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random").check(LR);
  }

  @Test
  void plaintextPackages_neverTouchChannelsKeysOrProtocols() {
    noClasses()
        .that()
        .resideInAnyPackage(FEATURES, TRAINING, METRICS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            API,
            INTERNAL,
            AGGREGATED,
            SECRET_SHARED,
            "io.jointly.channel..",
            "io.jointly.paillier..",
            "io.jointly.ot..",
            "io.jointly.secagg..",
            "io.jointly.group..")
        .check(LR);
  }

  @Test
  void plaintextPackages_layered_featuresThenTrainingThenMetrics() {
    noClasses().that().resideInAPackage(FEATURES).should().dependOnClassesThat().resideInAnyPackage(TRAINING, METRICS).check(LR);
    noClasses().that().resideInAPackage(TRAINING).should().dependOnClassesThat().resideInAPackage(METRICS).check(LR);
  }

  @Test
  void protocolPackages_knowNeitherTheApiNorEachOther() {
    noClasses().that().resideInAPackage(AGGREGATED).should().dependOnClassesThat().resideInAnyPackage(API, SECRET_SHARED, METRICS).check(LR);
    noClasses().that().resideInAPackage(SECRET_SHARED).should().dependOnClassesThat().resideInAnyPackage(API, AGGREGATED, METRICS).check(LR);
  }

  @Test
  void protocolPackages_areDrivenOnlyByTheApi() {
    classes().that().resideInAPackage(AGGREGATED).should().onlyBeAccessed().byAnyPackage(API, AGGREGATED).check(LR);
    classes().that().resideInAPackage(SECRET_SHARED).should().onlyBeAccessed().byAnyPackage(API, SECRET_SHARED).check(LR);
  }

  @Test
  void internal_servesTheApiAndTheProtocols_andKnowsNoneOfThem() {
    classes().that().resideInAPackage(INTERNAL).should().onlyBeAccessed().byAnyPackage(API, INTERNAL, AGGREGATED, SECRET_SHARED).check(LR);
    noClasses().that().resideInAPackage(INTERNAL).should().dependOnClassesThat().resideInAnyPackage(API, AGGREGATED, SECRET_SHARED, METRICS).check(LR);
  }

  @Test
  void subpackages_areFreeOfCycles() {
    slices().matching("io.jointly.lr.(*)..").should().beFreeOfCycles().check(LR);
  }
}
