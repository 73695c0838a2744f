package io.jbits.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jbits.server.upload.NotifyType;
import io.jbits.server.upload.UploadConfig;
import io.jbits.server.upload.UserPath;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML configuration file of {@code jbits serve --config} (Jackson's YAML parser): a list of upload
 * directories with their settings, and optional groups of users. Unknown keys, wrong types and impossible values are
 * errors that name the file and the line.
 *
 * <pre>
 * groups:
 *   support: [alice, bob]
 * directories:
 *   - url: /crash-reports
 *     path: /srv/bits/crash
 *     max-upload-size: 512M
 *     users: ["@support", carol]
 *   - url: /inventory
 *     path: /srv/bits/inventory
 *     allow-overwrite: true
 *     session-timeout: 2d
 *     notify-url: http://127.0.0.1:9000/inventory
 *     notify-type: by-value
 *     allow-get: false
 * </pre>
 */
final class ConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The whole file. */
    record Model(List<DirectoryModel> directories, Map<String, List<String>> groups) {
        Model {
            if (directories == null || directories.isEmpty()) {
                throw new IllegalArgumentException("the file lists no directories");
            }
            groups = groups == null ? Map.of() : groups;
        }
    }

    /** One entry of {@code directories}; sizes as {@code 512k, 4M, 1.5G}, durations as {@code 30s, 15m, 12h, 14d}. */
    record DirectoryModel(String url, String path, String maxUploadSize, Boolean allowOverwrite, String sessionTimeout,
            Integer maxSessionsPerClient, String notifyUrl, String notifyType, String hostId, String sessionDir,
            List<String> users, Boolean allowGet) {

        UploadConfig upload(Path base) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("'path', the upload directory, is missing");
            }
            UploadConfig c = UploadConfig.of(base.resolve(UserPath.uploadDirOf(path)))
                    .withAllowOverwrite(allowOverwrite != null && allowOverwrite);
            if (maxUploadSize != null) {
                c = c.withMaxUploadBytes(Units.bytes(maxUploadSize));
            }
            if (sessionTimeout != null) {
                c = c.withSessionTimeout(Units.duration(sessionTimeout));
            }
            if (maxSessionsPerClient != null) {
                c = c.withMaxSessionsPerClient(maxSessionsPerClient);
            }
            if (notifyUrl != null || notifyType != null) {
                if (notifyUrl == null) {
                    throw new IllegalArgumentException("'notify-type' needs 'notify-url'");
                }
                c = c.withNotification(URI.create(notifyUrl), parseNotifyType(notifyType));
            }
            if (hostId != null) {
                c = c.withHostId(hostId, UploadConfig.DEFAULT_HOST_ID_FALLBACK);
            }
            if (sessionDir != null) {
                c = c.withSessionDir(base.resolve(sessionDir));
            }
            return c;
        }
    }

    private ConfigFile() {
    }

    /** The directories of {@code file} for a server without users. */
    static List<Directory> read(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * The directories of {@code file}; relative paths in it are relative to the file's directory.
     *
     * @param authenticated whether the server knows its users (a path with {@code {user}} needs them)
     * @throws IOException naming the file, the line and what is wrong
     */
    static List<Directory> read(Path file, boolean authenticated) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Model model;
        try {
            model = YAML.readValue(text, Model.class);
        } catch (UnrecognizedPropertyException e) {
            // Jackson is past the unknown key's value by now: the key's own line is the one to show.
            throw new IOException(file + lineOf(text, e.getPropertyName() + ":") + ": unknown key '"
                    + e.getPropertyName() + "'", e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + where(e.getLocation()) + ": " + reason(e), e);
        }
        if (model == null) {
            throw new IOException(file + ": the file is empty");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Directory> directories = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (DirectoryModel entry : model.directories()) {
            if (entry.url() == null || !entry.url().startsWith("/")) {
                throw new IOException(file + lineOf(text, entry.url() == null ? "path: " + entry.path()
                        : "url: " + entry.url()) + ": a directory needs 'url', a path starting with '/'");
            }
            String prefix = entry.url().replaceAll("/+$", "");
            String where = file + lineOf(text, "url: " + entry.url()) + ": ";
            if (!prefixes.add(prefix)) {
                throw new IOException(where + "the URL " + entry.url() + " is listed twice");
            }
            try {
                UserPath userPath = entry.path() == null ? UserPath.NONE : UserPath.of(entry.path());
                if (userPath.byUser() && !authenticated) {
                    throw new IOException(file + lineOf(text, "path: " + entry.path()) + ": the directory "
                            + entry.url() + " stores uploads by " + UserPath.PLACEHOLDER + ", but the server has no "
                            + "users (--users or --tls-client-ca)");
                }
                directories.add(new Directory(prefix, entry.upload(base), users(entry.users(), model.groups(), text,
                        file), userPath, entry.allowGet() == null || entry.allowGet()));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "the directory " + entry.url() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(directories);
    }

    private static Set<String> users(List<String> names, Map<String, List<String>> groups, String text, Path file)
            throws IOException {
        if (names == null) {
            return null;
        }
        Set<String> users = new LinkedHashSet<>();
        for (String name : names) {
            if (name.startsWith("@")) {
                List<String> members = groups.get(name.substring(1));
                if (members == null) {
                    throw new IOException(file + lineOf(text, name) + ": no group '" + name.substring(1) + "' under "
                            + "'groups'");
                }
                users.addAll(members);
            } else {
                users.add(name);
            }
        }
        return Set.copyOf(users);
    }

    private static NotifyType parseNotifyType(String text) {
        if (text == null) {
            return NotifyType.BY_REFERENCE;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "by-reference", "reference" -> NotifyType.BY_REFERENCE;
            case "by-value", "value" -> NotifyType.BY_VALUE;
            default -> throw new IllegalArgumentException("'notify-type' is '" + text + "', not by-reference or "
                    + "by-value");
        };
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    /** Jackson's message without its own location and path decorations, or the cause of a refused value. */
    private static String reason(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** " line N" of the first line containing {@code needle}, or "". */
    private static String lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return " line " + (i + 1);
            }
        }
        return "";
    }

    /** Sizes and durations as the command line writes them. */
    static final class Units {
        private Units() {
        }

        /** {@code 1000}, {@code 512k}, {@code 4M}, {@code 1.5G}, {@code 2T} (binary multiples). */
        static long bytes(String text) {
            String t = text.strip();
            int shift = switch (t.isEmpty() ? ' ' : Character.toUpperCase(t.charAt(t.length() - 1))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 0;
            };
            String number = shift == 0 ? t : t.substring(0, t.length() - 1).strip();
            try {
                double value = Double.parseDouble(number) * (1L << shift);
                if (!(value >= 1) || value > Long.MAX_VALUE || number.contains("e") || number.contains("E")) {
                    throw new NumberFormatException();
                }
                return (long) value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a size (512k, 4M, 1.5G)", e);
            }
        }

        /** {@code 30s}, {@code 15m}, {@code 12h}, {@code 14d}, or ISO-8601 ({@code PT90M}). */
        static Duration duration(String text) {
            String t = text.strip();
            try {
                if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
                    return Duration.parse(t);
                }
                long amount = Long.parseLong(t.substring(0, t.length() - 1).strip());
                Duration d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> throw new IllegalArgumentException("no unit");
                };
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("not positive");
                }
                return d;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (30s, 15m, 12h, 14d)", e);
            }
        }
    }
}
