package io.jbits.daemon;

import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.transport.http.HttpTransport;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The service's real parts in one process for hostile-input tests: the engine on a SQLite store, the HTTP transport
 * with short timeouts (2 s connect and response instead of BITS's 60 s and 5 min), so that every lie ends within
 * seconds. Jobs get a 1-second retry delay and a short no-progress timeout.
 */
final class HostileEngine implements AutoCloseable {
    /** The transport's connect and response timeout in these tests. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);
    /** How long a job without progress stays in TRANSIENT_ERROR before it becomes ERROR. */
    static final Duration NO_PROGRESS_TIMEOUT = Duration.ofSeconds(3);

    final Path dest;
    final Engine engine;
    private final SqliteJobStore store;
    private final HttpTransport http;

    HostileEngine(Path stateDir, Path dest) throws IOException {
        this.dest = dest;
        this.store = SqliteJobStore.open(stateDir.resolve("jobs.db"));
        this.http = HttpTransport.create(new HttpTransportConfig(RESPONSE_TIMEOUT, RESPONSE_TIMEOUT, 16, 256, 0,
                "jbits-hostile-test"));
        this.engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(http))
                .checkpointInterval(Duration.ofMillis(100)).build());
    }

    /** A resumed foreground download of {@code url} to DEST/name with the short retry settings. */
    String download(String name, String... urls) {
        String id = engine.create(NewJob.download(name).withPriority(Priority.FOREGROUND)).id();
        engine.change(id, JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1))
                .withNoProgressTimeout(NO_PROGRESS_TIMEOUT));
        for (int i = 0; i < urls.length; i++) {
            engine.addFile(id, urls[i], dest.resolve(name + (urls.length == 1 ? "" : "-" + i)).toString());
        }
        engine.resume(id);
        return id;
    }

    /** Waits until the job is in one of {@code states}; fails after {@code within}. */
    JobInfo await(String id, Duration within, JobState... states) {
        Set<JobState> wanted = Set.of(states);
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> wanted.contains(engine.job(id).state()));
        return engine.job(id);
    }

    /** The names in the destination directory. */
    List<String> destNames() {
        try (Stream<Path> files = Files.list(dest)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            engine.close();
        } finally {
            try {
                http.close();
            } finally {
                store.close();
            }
        }
    }
}
