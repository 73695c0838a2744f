package io.jbits.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserSocketsTest {
    @TempDir
    Path temp;

    @Test
    void usersWithASocketInTheirRuntimeOrStateDirectoryAreFoundOthersAreNot() throws IOException {
        Path homes = Files.createDirectories(temp.resolve("home"));
        Path runtime = Files.createDirectories(temp.resolve("run"));
        Path passwd = Files.writeString(temp.resolve("passwd"), String.join("\n",
                "root:x:0:0:root:" + homes.resolve("root") + ":/bin/bash",
                "alice:x:1001:1001::" + homes.resolve("alice") + ":/bin/sh",
                "bob:x:1002:1002::" + homes.resolve("bob") + ":/bin/sh",
                "carol:x:1003:1003::" + homes.resolve("carol") + ":/bin/sh",
                "broken line",
                ""));
        Path aliceSocket = touch(runtime.resolve("1001").resolve("jbits").resolve("jbits.sock"));
        Path bobSocket = touch(homes.resolve("bob").resolve(".local/state/jbits/jbits.sock"));
        UserSockets sockets = new UserSockets(passwd, runtime);

        List<UserSockets.UserService> running = sockets.running();

        assertEquals(List.of("alice", "bob"), running.stream().map(UserSockets.UserService::user).toList());
        assertEquals(aliceSocket, running.get(0).paths().socket());
        assertEquals(1001, running.get(0).uid());
        assertEquals(bobSocket, running.get(1).paths().socket());
        assertEquals(runtime.resolve("1003/jbits/jbits.sock"), sockets.of("carol").paths().socket(),
                "a user without a service: where a login session's service would listen");
        assertThrows(IOException.class, () -> sockets.of("mallory"));
    }

    private static Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.createFile(file);
    }
}
