package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request paths that try to leave the upload directory, sent as raw bytes so no client normalises them: each is
 * refused (400, 403 or 404) and nothing appears outside the upload directory.
 */
class UploadConfinementTest {

    @TempDir
    Path temp;

    private Path uploads;
    private Path outside;
    private UploadServer server;

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("target.bin"), "untouched");
        Files.createDirectories(uploads.resolve("inner"));
        Files.createSymbolicLink(uploads.resolve("link"), outside);
        Files.createSymbolicLink(uploads.resolve("dangling"), temp.resolve("nowhere"));
        Files.createSymbolicLink(uploads.resolve("innerlink"), uploads.resolve("inner"));
        Files.createSymbolicLink(uploads.resolve("final-link"), outside.resolve("target.bin"));
        Files.createSymbolicLink(uploads.resolve("sessions-link"), uploads.resolve(".jbits-sessions"));
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<String> escapes() {
        return Stream.of(
                "/../escape.bin",
                "/a/../../escape.bin",
                "/inner/../../escape.bin",
                "/%2e%2e/escape.bin",
                "/%2E%2E/escape.bin",
                "/.%2e/escape.bin",
                "/%2e./escape.bin",
                "/..%2fescape.bin",
                "/..%2Fescape.bin",
                "/%2e%2e%2fescape.bin",
                "/..%5cescape.bin",
                "/..\\escape.bin",
                "/%5c..%5cescape.bin",
                "/%2e%2e%5cescape.bin",
                "//escape.bin",
                "/TEMP/outside/escape.bin",
                "/link/escape.bin",
                "/link%2fescape.bin",
                "/dangling/escape.bin",
                "/final-link",
                "/sessions-link/escape.bin",
                "/.jbits-sessions/escape.bin",
                "/.JBITS-sessions/escape.bin",
                "/escape.bin%00.txt",
                "/C:/escape.bin",
                "/%c0%ae%c0%ae/escape.bin",
                "/./escape.bin",
                "/escape.bin/..",
                "/inner/%2e%2e/%2e%2e/escape.bin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void aPathThatLeadsOutIsRefusedAndWritesNothingOutside(String form) throws Exception {
        String target = form.replace("/TEMP", "/" + temp);
        int status = attemptUpload(target);

        assertTrue(status == 400 || status == 403 || status == 404, target + " answered " + status);
        assertNothingOutside();
    }

    @Test
    void anAbsoluteFormRequestTargetIsConfinedToo() throws Exception {
        int status = attemptUpload("http://127.0.0.1:" + server.port() + "/../escape.bin");

        assertTrue(status == 400 || status == 403 || status == 404, "answered " + status);
        assertNothingOutside();
    }

    @Test
    void doubleEncodingAndPathParametersStayLiteralNamesInside() throws Exception {
        attemptUpload("/%252e%252e/escape.bin");
        attemptUpload("/..;/escape.bin");

        assertNothingOutside();
    }

    @Test
    void aSymlinkThatStaysInsideTheUploadDirectoryIsFollowed() throws Exception {
        assertEquals(200, attemptUpload("/innerlink/ok.bin"));

        assertEquals("payload", Files.readString(uploads.resolve("inner/ok.bin")));
    }

    /** Create-Session and, if that succeeds, a whole fragment; returns the first refusal or 200. */
    private int attemptUpload(String target) throws Exception {
        try (BitsWire wire = server.wire()) {
            BitsWire.Reply created = wire.create(target);
            if (created.status() != 200) {
                return created.status();
            }
            byte[] payload = "payload".getBytes();
            BitsWire.Reply fragment = wire.fragment(target, created.header("BITS-Session-Id"), payload, 0,
                    payload.length);
            wire.close(target, created.header("BITS-Session-Id"));
            return fragment.status();
        }
    }

    private void assertNothingOutside() throws Exception {
        assertEquals(List.of("target.bin"), TestData.filesBelow(outside));
        assertEquals("untouched", Files.readString(outside.resolve("target.bin")));
        try (Stream<Path> entries = Files.list(temp)) {
            assertEquals(List.of("outside", "served", "uploads"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // list, not walk: walk stats each entry of the shared /tmp, and other processes delete theirs meanwhile
        try (Stream<Path> all = Files.list(temp.getParent())) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith("escape")));
        }
        assertEquals(List.of(), TestData.filesBelow(temp.resolve("served")));
    }
}
