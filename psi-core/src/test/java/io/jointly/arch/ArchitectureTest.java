package io.jointly.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of psi-core (see STYLE.md), checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.jointly");

  @Test
  void core_neverTouchesTransportLibraries() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..", "io.netty..", "com.google.protobuf..")
        .check(CORE);
  }

  @Test
  void core_neverDependsOnOtherJointlyModules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jointly.lr..", "io.jointly.transport..", "io.jointly.cli..")
        .check(CORE);
  }

  @Test
  void lowerLayers_neverDependOnProtocols() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.jointly.core..", "io.jointly.channel..", "io.jointly.group..", "io.jointly.oprf..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jointly.psi..")
        .check(CORE);
  }

  @Test
  void ot_isABuildingBlock_onTheCoreTypesOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.jointly.ot..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jointly.channel..",
            "io.jointly.group..",
            "io.jointly.paillier..",
            "io.jointly.psi..",
            "io.jointly.secagg..",
            "io.jointly.stats..")
        .check(CORE);
  }

  @Test
  void library_neverPrintsToConsole() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CORE);
  }

  @Test
  void library_neverUsesInsecureRandom() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random").check(CORE);
  }
}
