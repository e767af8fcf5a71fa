package dev.nines.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nines.server");

  @Test
  void onlyTheStoreTouchesJdbc() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.nines.server.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.sql..")
        .check(SERVER);
  }

  @Test
  void theStoreKnowsNothingOfHttp() {
    noClasses()
        .that()
        .resideInAPackage("dev.nines.server.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javalin..", "dev.nines.server.api..", "dev.nines.server.auth..")
        .check(SERVER);
  }

  @Test
  void onlyTheWiringReadsTheSystemClock() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.nines.server")
        .should()
        .callMethod(java.time.Clock.class, "systemUTC")
        .orShould()
        .callMethod(java.time.Clock.class, "systemDefaultZone")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(SERVER);
  }

  @Test
  void featurePackagesHaveNoCycles() {
    SlicesRuleDefinition.slices().matching("dev.nines.server.(*)..").should().beFreeOfCycles().check(SERVER);
  }
}
