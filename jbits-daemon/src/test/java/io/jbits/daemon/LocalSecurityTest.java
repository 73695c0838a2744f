package io.jbits.daemon;

import static io.jbits.daemon.LyingServer.head;
import static io.jbits.daemon.LyingServer.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.client.ServiceClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service leaves readable on the local machine. Credentials live only in the database (0600, and SQLite's
 * sidecar files too) and never come out of the API. Temporaries get the mode any new file of the service's user
 * gets ({@code 0666 & ~umask}, as curl and wget do, and as BITS gives its temporaries the destination directory's
 * inherited ACL): the final file is the temporary renamed, so it keeps that mode, and a partial file is never more
 * open than the finished one will be.
 */
class LocalSecurityTest {
    private static final String SECRET = "s3cret-Pa55-" + System.nanoTime();

    @TempDir
    Path state;
    @TempDir
    Path dest;
    private HostileEngine jbits;
    private LyingServer server;
    private ApiServer api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (server != null) {
            server.close();
        }
        if (jbits != null) {
            jbits.close();
        }
    }

    @Test
    void aCredentialIsStoredOnlyInThePrivateDatabaseAndNeverShown() throws Exception {
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        jbits = new HostileEngine(state, dest);
        String id = jbits.engine.create(NewJob.download("with credentials")).id();
        jbits.engine.setCredentials(id, new Credentials(AuthTarget.SERVER, AuthScheme.BASIC, "alice",
                SECRET.toCharArray()));
        JobInfo info = jbits.engine.job(id);
        assertEquals("alice", info.options().get("cred.server.basic.user"), "the user name is shown");
        assertFalse(info.toString().contains(SECRET), "the secret is not: " + info);

        api = ApiServer.start(new ApiConfig(jbits.engine, state.resolve("jbits.sock"),
                System.getProperty("user.name"), state, () -> { }));
        try (ServiceClient client = ServiceClient.connect(api.socket())) {
            assertFalse(client.job(id).toString().contains(SECRET), "not through the API");
            assertFalse(client.jobs(true).toString().contains(SECRET), "not in the list");
        }

        jbits.close();
        jbits = null;
        boolean inDatabase = false;
        try (Stream<Path> files = Files.list(state)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    assertEquals("rw-------", mode(f), "mode of " + f);
                    inDatabase |= new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET);
                }
            }
        }
        assertTrue(inDatabase, "the secret is kept (in the database) for the transfers that need it");
        assertEquals(List.of(), filesContaining(dest, SECRET), "nothing else holds the secret");
    }

    @Test
    void theTemporaryHasTheModeOfANewFileAndTheFinalFileKeepsIt() throws Exception {
        jbits = new HostileEngine(state, dest);
        byte[] entity = LyingServerTest.bytes(100_000, 8);
        CountDownLatch release = new CountDownLatch(1);
        server = LyingServer.start((request, socket, out) -> {
            write(out, head(200, "Content-Length: " + entity.length + "\r\n"));
            out.write(entity, 0, 50_000);
            out.flush();
            release.await(30, TimeUnit.SECONDS);
            out.write(entity, 50_000, 50_000);
        });
        String id = jbits.download("f.bin", server.url("f.bin"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jbits.engine.job(id).bytesTransferred() > 0);
        Path temp;
        try (Stream<Path> files = Files.list(dest)) {
            temp = files.filter(p -> p.getFileName().toString().endsWith(".part")).findFirst().orElseThrow();
        }
        String expected = newFileMode(umask());
        assertEquals(expected, mode(temp), "the temporary " + temp + " with umask " + Integer.toOctalString(umask()));
        release.countDown();
        jbits.await(id, Duration.ofSeconds(20), JobState.TRANSFERRED);
        jbits.engine.complete(id);
        Path finished = dest.resolve("f.bin");
        assertArrayEquals(entity, Files.readAllBytes(finished));
        assertEquals(expected, mode(finished), "the final file keeps the temporary's mode");
    }

    /** This process's umask, from /proc (Linux 4.7 and later). */
    private static int umask() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        throw new IOException("no Umask line in /proc/self/status");
    }

    private static String newFileMode(int umask) {
        int mode = 0666 & ~umask;
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }

    private static String mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        return PosixFilePermissions.toString(perms);
    }

    private static List<Path> filesContaining(Path dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }
}
