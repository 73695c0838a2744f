package io.jbits.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core decides and knows no library: transports and stores plug in through its interfaces. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jbits.core");

    @Test
    void coreKnowsNoJettyJdbcHttpClientSmbjOrJson() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.eclipse.jetty..", "java.sql..", "org.sqlite..", "org.apache.hc..", "com.hierynomus..",
                "com.fasterxml..", "io.jbits.store..", "io.jbits.transport..", "io.jbits.daemon..",
                "io.jbits.client..", "io.jbits.server..", "io.jbits.cli..", "io.jbits.rest..", "io.jbits.bup..",
                "io.jbits.wiring..", "io.jbits.embedded..")
                .check(core);
    }
}
