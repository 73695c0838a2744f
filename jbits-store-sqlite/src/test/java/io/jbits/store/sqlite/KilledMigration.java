package io.jbits.store.sqlite;

import java.nio.file.Path;

/**
 * A process that starts migrating a database and dies in the middle ({@code Runtime.halt}, no clean-up at all):
 * {@code java … KilledMigration DB}. Exits {@value #HALT_STATUS} when it was killed there, 0 if no migration ran.
 */
final class KilledMigration {
    static final int HALT_STATUS = 137;

    private KilledMigration() {
    }

    public static void main(String[] args) throws Exception {
        Migrations.betweenStatements = () -> Runtime.getRuntime().halt(HALT_STATUS);
        try (SqliteJobStore store = SqliteJobStore.open(Path.of(args[0]))) {
            System.exit(0);
        }
    }
}
