package io.jbits.rest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The wire format is what both ends share: it knows the API types and Jackson, and neither end's code. */
class RestArchitectureTest {
    private final JavaClasses rest = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jbits.rest");

    @Test
    void restDependsOnlyOnTheApiJacksonAndTheJdk() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(
                "io.jbits.rest..", "io.jbits.api..", "com.fasterxml.jackson..", "java..")
                .check(rest);
    }
}
