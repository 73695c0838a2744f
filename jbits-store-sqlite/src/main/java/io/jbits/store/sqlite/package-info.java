/**
 * The embedded job store: {@link io.jbits.store.sqlite.SqliteJobStore}, one SQLite file in WAL mode with full sync,
 * readable by its owner only.
 */
package io.jbits.store.sqlite;
