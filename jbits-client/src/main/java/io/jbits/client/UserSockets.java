package io.jbits.client;

import io.jbits.rest.ServicePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an administrator finds other users' services: each user's socket where that user's own CLI would look
 * ({@link ServicePaths}) in a login session, {@code /run/user/UID/jbits/jbits.sock} ({@code $XDG_RUNTIME_DIR} is
 * {@code /run/user/UID} under systemd-logind), else {@code ~/.local/state/jbits/jbits.sock} in the user's home.
 * Users come from the password database ({@code /etc/passwd}). A service started with {@code JBITS_HOME} or other
 * XDG directories is not found.
 */
public final class UserSockets {
    private final Path passwd;
    private final Path runtimeRoot;

    /**
     * @param passwd the password database to read users from
     * @param runtimeRoot the directory of the users' runtime directories, named by uid
     */
    public UserSockets(Path passwd, Path runtimeRoot) {
        this.passwd = passwd;
        this.runtimeRoot = runtimeRoot;
    }

    /** The machine's: {@code /etc/passwd} and {@code /run/user}. */
    public static UserSockets system() {
        return new UserSockets(Path.of("/etc/passwd"), Path.of("/run/user"));
    }

    /** A user's service as an administrator reaches it. */
    public record UserService(String user, long uid, ServicePaths paths) {
    }

    /**
     * The service of one user: the first candidate socket that exists, else the runtime directory's.
     *
     * @throws IOException when there is no such user
     */
    public UserService of(String user) throws IOException {
        for (String[] entry : users()) {
            if (entry[0].equals(user)) {
                return service(entry);
            }
        }
        throw new IOException("no user '" + user + "' in " + passwd);
    }

    /** Every user whose service socket exists, in the order of the password database. */
    public List<UserService> running() throws IOException {
        List<UserService> found = new ArrayList<>();
        for (String[] entry : users()) {
            UserService s = service(entry);
            if (Files.exists(s.paths().socket())) {
                found.add(s);
            }
        }
        return found;
    }

    private UserService service(String[] entry) {
        long uid = Long.parseLong(entry[1]);
        Path home = Path.of(entry[2].isEmpty() ? "/nonexistent" : entry[2]);
        ServicePaths inRuntime = ServicePaths.from(Map.of("XDG_RUNTIME_DIR",
                runtimeRoot.resolve(Long.toString(uid)).toString()), home);
        ServicePaths inHome = ServicePaths.from(Map.of(), home);
        ServicePaths chosen = Optional.of(inRuntime).filter(p -> Files.exists(p.socket()))
                .or(() -> Optional.of(inHome).filter(p -> Files.exists(p.socket())))
                .orElse(inRuntime);
        return new UserService(entry[0], uid, chosen);
    }

    /** {name, uid, home} of each well-formed line. */
    private List<String[]> users() throws IOException {
        List<String[]> users = new ArrayList<>();
        for (String line : Files.readAllLines(passwd)) {
            String[] f = line.split(":", -1);
            if (f.length >= 6 && !f[0].isEmpty() && f[2].chars().allMatch(Character::isDigit) && !f[2].isEmpty()) {
                users.add(new String[] {f[0], f[2], f[5]});
            }
        }
        return users;
    }
}
