package io.jbits.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.upload.NotifyType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("serve.yaml"), yaml);
    }

    @Test
    void directoriesWithTheirSettingsAndGroupsAreRead() throws Exception {
        List<Directory> read = ConfigFile.read(write("""
                # two virtual directories
                groups:
                  support: [alice, bob]
                directories:
                  - url: /crash-reports/
                    path: crash
                    max-upload-size: 512M
                    users: ["@support", carol]
                  - url: /inventory
                    path: /srv/inventory
                    allow-overwrite: true
                    session-timeout: 2d
                    max-sessions-per-client: 5
                    notify-url: http://127.0.0.1:9000/inv
                    notify-type: by-value
                """));

        assertEquals(2, read.size());
        Directory crash = read.get(0);
        assertEquals("/crash-reports", crash.urlPrefix());
        assertEquals(dir.resolve("crash"), crash.upload().uploadDir());
        assertEquals(512L << 20, crash.upload().maxUploadBytes());
        assertEquals(Set.of("alice", "bob", "carol"), crash.users());
        Directory inventory = read.get(1);
        assertEquals(Path.of("/srv/inventory"), inventory.upload().uploadDir());
        assertTrue(inventory.upload().allowOverwrite());
        assertEquals(Duration.ofDays(2), inventory.upload().sessionTimeout());
        assertEquals(5, inventory.upload().maxSessionsPerClient());
        assertEquals(URI.create("http://127.0.0.1:9000/inv"), inventory.upload().notifyUrl());
        assertEquals(NotifyType.BY_VALUE, inventory.upload().notifyType());
        assertNull(inventory.users(), "every user the server lets in");
    }

    @Test
    void aBrokenFileIsReportedWithItsLine() throws Exception {
        assertError("""
                directories:
                  - url: /a
                    path: a
                    max-upload-sise: 5M
                """, "line 4", "max-upload-sise");
        assertError("""
                directories:
                  - url: /a
                    path: a
                  - url: /b
                    path: b
                    max-upload-size: lots
                """, "line 4", "'lots' is not a size");
        assertError("""
                directories:
                  - url: /a
                    path: a
                    allow-overwrite: [yes, no]
                """, "line 4", "");
        assertError("""
                directories:
                  - url: /a
                    path: a
                    users: ["@nobody"]
                """, "line 4", "no group 'nobody'");
        assertError("""
                directories:
                  - url: /a
                    path: a
                  - url: /a/
                    path: b
                """, "line 4", "listed twice");
        assertError("""
                directories:
                  - url: /a
                     path: a
                """, "line 3", "");
        assertError("""
                directories:
                  - url: a
                    path: a
                """, "line 2", "'url'");
    }

    private void assertError(String yaml, String line, String what) throws IOException {
        Path file = write(yaml);
        IOException e = assertThrows(IOException.class, () -> ConfigFile.read(file));
        assertTrue(e.getMessage().startsWith(file + " " + line), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void aPathWithTheUserNeedsAServerWithUsers() throws Exception {
        String yaml = """
                directories:
                  - url: /a
                    path: a
                  - url: /mine
                    path: /srv/uploads/{user}/in
                """;
        assertError(yaml, "line 5", "stores uploads by {user}, but the server has no users");

        Directory mine = ConfigFile.read(write(yaml), true).get(1);
        assertEquals(Path.of("/srv/uploads"), mine.upload().uploadDir());
        assertEquals(List.of("{user}", "in"), mine.userPath().segments());
        assertError("""
                directories:
                  - url: /a
                    path: /srv/home-{user}
                """, "line 2", "whole segment");
    }

    @Test
    void sizesAndDurationsReadAsOnTheCommandLine() {
        assertEquals(1000, ConfigFile.Units.bytes("1000"));
        assertEquals(512 * 1024, ConfigFile.Units.bytes("512k"));
        assertEquals(3L << 29, ConfigFile.Units.bytes("1.5G"));
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.Units.bytes("0"));
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.Units.bytes("1e9"));
        assertEquals(Duration.ofMinutes(15), ConfigFile.Units.duration("15m"));
        assertEquals(Duration.ofMinutes(90), ConfigFile.Units.duration("PT90M"));
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.Units.duration("0s"));
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.Units.duration("5 fortnights"));
    }
}
