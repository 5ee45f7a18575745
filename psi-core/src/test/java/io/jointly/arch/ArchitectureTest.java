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
  void ot_isABuildingBlock_onTheCoreTypesAndGroupsOnly() {
    // The base OT (BaseOt) is built on a prime-order group, the hashes and the PRG on
    // io.jointly.symmetric; nothing else beyond io.jointly.core.
    noClasses()
        .that()
        .resideInAPackage("io.jointly.ot..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jointly.channel..",
            "io.jointly.paillier..",
            "io.jointly.psi..",
            "io.jointly.secagg..",
            "io.jointly.stats..")
        .check(CORE);
  }

  @Test
  void compliance_wrapsProtocolsWithoutKnowingThem() {
    noClasses()
        .that()
        .resideInAnyPackage("io.jointly.compliance..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jointly.psi..",
            "io.jointly.stats..",
            "io.jointly.secagg..",
            "io.jointly.paillier..",
            "io.jointly.group..",
            "io.jointly.ot..",
            "io.jointly.vole..",
            "io.jointly.okvs..")
        .check(CORE);
  }

  @Test
  void protocols_neverDependOnCompliance() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.jointly.compliance..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jointly.compliance..")
        .check(CORE);
  }

  @Test
  void symmetric_isTheBottomLayer_ofTheOtAndVoleBuildingBlocks() {
    // One fixed-key AES and one AES-CTR PRG serve OT, VOLE, the OKVS and both PSI protocols.
    noClasses()
        .that()
        .resideInAPackage("io.jointly.symmetric..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jointly.ot..", "io.jointly.vole..", "io.jointly.okvs..", "io.jointly.psi..", "io.jointly.channel..")
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
