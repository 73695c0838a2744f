package io.jbits.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/architecture.md, checked on the compiled classes of every module: api → spi → core →
 * (store, transports) → wiring → (daemon, embedded) → cli, with the two protocol modules used by both of their ends.
 * A class that reaches across a layer it may not see fails the build with the offending dependency named.
 */
@Tag("architecture")
class ArchitectureTest {
    private static final JavaClasses JBITS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jbits");

    @Test
    void modulesDependOnlyOnTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("io.jbits.api..")
                .layer("events").definedBy("io.jbits.events..")
                .layer("spi").definedBy("io.jbits.spi..")
                .layer("core").definedBy("io.jbits.core..")
                .layer("store").definedBy("io.jbits.store..")
                .layer("transports").definedBy("io.jbits.transport..")
                .layer("bup").definedBy("io.jbits.bup..")
                .layer("rest").definedBy("io.jbits.rest..")
                .layer("wiring").definedBy("io.jbits.wiring..")
                .layer("daemon").definedBy("io.jbits.daemon..")
                .layer("embedded").definedBy("io.jbits.embedded..")
                .layer("client").definedBy("io.jbits.client..")
                .layer("server").definedBy("io.jbits.server..")
                .layer("cli").definedBy("io.jbits.cli..")
                .layer("examples").definedBy("io.jbits.examples..")

                .whereLayer("events").mayOnlyBeAccessedByLayers("core", "client")
                .whereLayer("spi").mayOnlyBeAccessedByLayers("core", "store", "transports", "wiring", "daemon",
                        "embedded", "cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("wiring", "daemon", "embedded", "cli")
                .whereLayer("store").mayOnlyBeAccessedByLayers("wiring", "daemon", "embedded", "cli")
                .whereLayer("transports").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("bup").mayOnlyBeAccessedByLayers("transports", "server")
                .whereLayer("rest").mayOnlyBeAccessedByLayers("daemon", "client", "cli")
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("daemon", "embedded")
                .whereLayer("daemon").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("embedded").mayOnlyBeAccessedByLayers("examples")
                .whereLayer("client").mayOnlyBeAccessedByLayers("cli", "examples")
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("examples").mayNotBeAccessedByAnyLayer()
                .check(JBITS);
    }

    @Test
    void theServiceDoesNotDependOnItsClient() {
        noClasses().that().resideInAPackage("io.jbits.daemon..")
                .should().dependOnClassesThat().resideInAPackage("io.jbits.client..")
                .check(JBITS);
        noClasses().that().resideInAPackage("io.jbits.client..")
                .should().dependOnClassesThat().resideInAPackage("io.jbits.daemon..")
                .check(JBITS);
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnModule() {
        noClasses().that().resideOutsideOfPackage("io.jbits.core..")
                .should().dependOnClassesThat().resideInAPackage("io.jbits.core.internal..")
                .check(JBITS);
    }
}
