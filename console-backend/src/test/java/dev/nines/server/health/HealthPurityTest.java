package dev.nines.server.health;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The health judge is pure: no I/O, no HTTP, no database, no clock, no other server package. */
class HealthPurityTest {
  private static final JavaClasses HEALTH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.nines.server.health");

  @Test
  void healthDoesNoIoAndKnowsNoHttpNorDatabase() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "java.sql..", "java.io..", "java.net..", "java.nio..", "org.slf4j..",
            "dev.nines.server.store..", "dev.nines.server.api..", "dev.nines.server.ingest..",
            "dev.nines.server.events..", "dev.nines.server.auth..")
        .check(HEALTH);
  }

  @Test
  void healthReadsNoClock() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .areAssignableTo(java.time.Clock.class)
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .check(HEALTH);
  }
}
