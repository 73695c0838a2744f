package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upgrade: the state an older jbits left behind ({@link UpgradeFixture}, schema version 2, a job in every state,
 * a half-transferred file with its temporary file) opened by today's service. Every job is still there in its
 * state, the interrupted transfer goes on from its checkpoint without fetching those bytes again, and every job that
 * can complete does so with the right SHA-256, downloads from a real nginx and the upload to {@code jbits serve}.
 */
class UpgradeFixtureTest extends EndToEnd {

    @Test
    void theStateOfTheLastVersionKeepsEveryJobAndEachCompletesWithTheRightBytes() throws Exception {
        for (UpgradeFixture.Source s : UpgradeFixture.SOURCES) {
            s.writeTo(data);
        }
        startNginx("16m");
        Path uploads = Files.createDirectories(dest.resolve("uploads"));
        Path served = Files.createDirectories(dest.resolve("served"));
        ServeProcess serve = closeLater(ServeProcess.start(served, dest.resolve("serve.log"), "--upload-dir",
                uploads.toString()));
        Path uploadSource = UpgradeFixture.UPLOAD_FILE.writeTo(dest);

        Path fixture = UpgradeFixture.RESOURCES;
        try (Stream<Path> temps = Files.list(fixture.resolve("dest"))) {
            for (Path t : temps.toList()) {
                Files.copy(t, dest.resolve(t.getFileName()));
            }
        }
        Path db = cli.home().resolve("jobs.db");
        Files.copy(fixture.resolve("jobs.db"), db, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        UpgradeFixture.relocate(db, List.of(UpgradeFixture.WEB, UpgradeFixture.UPLOAD, UpgradeFixture.DEST),
                List.of("http://127.0.0.1:" + nginx.port(), "http://127.0.0.1:" + serve.port(), dest.toString()));
        UpgradeFixture.movedTo(db, Instant.now().minusSeconds(60));

        Map<String, JsonNode> jobs = new HashMap<>();
        cli.listAll().forEach(j -> jobs.put(j.path("name").asText(), j));
        for (UpgradeFixture.Job j : UpgradeFixture.JOBS) {
            assertTrue(jobs.containsKey(j.name()), j.name() + " survived the upgrade: " + jobs.keySet());
        }
        assertEquals(UpgradeFixture.JOBS.size(), jobs.size(), "no job more or less: " + jobs.keySet());
        for (String name : List.of("fx-suspended", "fx-transferred", "fx-error", "fx-acknowledged", "fx-cancelled",
                "fx-upload")) {
            assertEquals(UpgradeFixture.job(name).state(), state(jobs.get(name)), name + " keeps its state");
        }
        String interrupted = jobs.get("fx-interrupted").path("id").asText();
        assertTrue(bytesTransferred(cli.info(interrupted)) >= TestData.MIB,
                "the interrupted job keeps the 1 MiB it had: " + cli.info(interrupted));

        for (String name : List.of("fx-suspended", "fx-error", "fx-transient", "fx-upload")) {
            cli.ok("resume", jobs.get(name).path("id").asText());
        }
        for (String name : List.of("fx-suspended", "fx-queued", "fx-interrupted", "fx-transferred", "fx-error",
                "fx-transient", "fx-upload")) {
            String id = jobs.get(name).path("id").asText();
            cli.awaitState(id, "TRANSFERRED", TRANSFER_TIMEOUT);
            complete(id);
            UpgradeFixture.Source s = UpgradeFixture.job(name).source();
            if (UpgradeFixture.job(name).upload()) {
                assertSameBytes(uploadSource, uploads.resolve(s.name()));
            } else {
                assertSameBytes(data.resolve(s.name()), dest.resolve(s.name()));
            }
        }
        assertEquals("ACKNOWLEDGED", state(cli.info(jobs.get("fx-acknowledged").path("id").asText())));
        assertEquals("CANCELLED", state(cli.info(jobs.get("fx-cancelled").path("id").asText())));

        long refetched = nginx.bodyBytesSent("/slow/" + UpgradeFixture.INTERRUPTED_FILE.name());
        assertTrue(refetched <= UpgradeFixture.INTERRUPTED_FILE.sizeBytes() - TestData.MIB,
                "the 1 MiB transferred before the upgrade is not fetched again: " + refetched + " bytes sent, "
                        + nginx.requests("/slow/" + UpgradeFixture.INTERRUPTED_FILE.name()));
        try (Stream<Path> left = Files.list(dest)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".part")),
                    "no temporary file is left: " + destinationNames());
        }
    }
}
