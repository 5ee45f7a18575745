package io.jointly.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of federated-lr (see STYLE.md), checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses LR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.jointly.lr");

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
}
