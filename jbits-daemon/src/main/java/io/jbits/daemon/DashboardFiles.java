package io.jbits.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's static pages, read once from the jar's resources ({@code io/jbits/daemon/dashboard/}).
 *
 * <p>Only the files named here are served, each with its media type: a fixed list leaves no path to resolve, so
 * there is no directory listing and no way out of the folder.
 */
final class DashboardFiles {
    /** A file's bytes and media type. */
    record File(byte[] bytes, String contentType) {
    }

    private static final String FOLDER = "/io/jbits/daemon/dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "job.html", "text/html; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "common.js", "text/javascript; charset=utf-8",
            "jobs.js", "text/javascript; charset=utf-8",
            "job.js", "text/javascript; charset=utf-8",
            "chart.js", "text/javascript; charset=utf-8",
            "policy.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, File> files;

    private DashboardFiles(Map<String, File> files) {
        this.files = files;
    }

    /** Every page, read from the class path. */
    static DashboardFiles load() {
        Map<String, File> read = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> {
            try (InputStream in = DashboardFiles.class.getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
                }
                read.put(name, new File(in.readAllBytes(), type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new DashboardFiles(Map.copyOf(read));
    }

    /** The file of a request path ({@code /} is {@code index.html}), or null when there is none. */
    File find(String path) {
        String name = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        return files.get(name);
    }
}
