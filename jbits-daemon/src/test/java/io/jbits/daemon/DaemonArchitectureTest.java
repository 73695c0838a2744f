package io.jbits.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The daemon shares the wire format (jbits-rest) with the client, not the client itself; it logs one way. */
class DaemonArchitectureTest {
    private final JavaClasses daemon = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jbits.daemon");

    @Test
    void theDaemonDoesNotUseTheClient() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.jbits.client..").check(daemon);
    }

    @Test
    void theDaemonLogsThroughSystemLogger() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.slf4j..").check(daemon);
    }
}
