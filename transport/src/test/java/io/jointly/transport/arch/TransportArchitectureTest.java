package io.jointly.transport.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport module's rules (see STYLE.md): gRPC, Netty and protobuf stay behind the public API
 * (no public signature of {@code io.jointly.transport} mentions them, so gRPC {@code Status} never
 * leaks; the interconnection API in {@code io.jointly.transport.ic} likewise), no dependency on federated LR, no console output, no insecure randomness.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportArchitectureTest {
  private static final JavaClasses TRANSPORT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.jointly.transport");

  private static final String[] WIRE_LIBRARIES = {"io.grpc..", "io.netty..", "com.google.protobuf.."};

  @Test
  void publicApi_exposesNoGrpcNettyOrProtobufType() {
    codeUnits()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage("io.jointly.transport", "io.jointly.transport.ic")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(new ArchCondition<JavaCodeUnit>("mention no gRPC, Netty or protobuf type") {
          @Override
          public void check(JavaCodeUnit unit, ConditionEvents events) {
            List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
            types.add(unit.getRawReturnType());
            unit.getThrowsClause().getTypes().forEach(types::add);
            for (JavaClass t : types) {
              if (isWireLibrary(t)) {
                events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + t.getName()));
              }
            }
          }
        })
        .check(TRANSPORT);
    fields()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideInAnyPackage("io.jointly.transport", "io.jointly.transport.ic")
        .should(new ArchCondition<JavaField>("have no gRPC, Netty or protobuf type") {
          @Override
          public void check(JavaField field, ConditionEvents events) {
            if (isWireLibrary(field.getRawType())) {
              events.add(SimpleConditionEvent.violated(field, field.getFullName()));
            }
          }
        })
        .allowEmptyShould(true)
        .check(TRANSPORT);
  }

  @Test
  void transport_neverDependsOnFederatedLr() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jointly.lr..", "io.jointly.cli..")
        .check(TRANSPORT);
  }

  @Test
  void library_neverPrintsToConsole() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(TRANSPORT);
  }

  @Test
  void library_neverUsesInsecureRandom() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .check(TRANSPORT);
  }

  private static boolean isWireLibrary(JavaClass t) {
    String n = t.getName();
    for (String p : WIRE_LIBRARIES) {
      if (n.startsWith(p.substring(0, p.length() - 2) + ".")) {
        return true;
      }
    }
    return false;
  }
}
