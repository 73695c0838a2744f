package io.jbits.cli;

import io.jbits.rest.JbitsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this jbits was built from: its version, the commit and the time of the build (written into the CLI's jar by
 * the build, from git).
 *
 * @param version the project version, such as {@code 0.1.0-SNAPSHOT}
 * @param commit the full commit id, with {@code -dirty} when the tree had uncommitted changes; "unknown" outside git
 * @param buildTime the build's time in UTC (ISO 8601), or "unknown"
 */
record BuildInfo(String version, String commit, String buildTime) {
    private static final String RESOURCE = "build-info.properties";

    /** The build information of these classes. */
    static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return of(JbitsVersion.current(), p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jbits build information", e);
        }
    }

    /** The build information in properties as the build writes them ({@code git.commit.id}, {@code git.build.time}). */
    static BuildInfo of(String version, Properties p) {
        String commit = nonBlank(p.getProperty("git.commit.id"));
        if (commit != null && "true".equals(p.getProperty("git.dirty"))) {
            commit += "-dirty";
        }
        String time = nonBlank(p.getProperty("git.build.time"));
        return new BuildInfo(version, commit == null ? "unknown" : commit, time == null ? "unknown" : time);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() || s.startsWith("${") ? null : s.strip();
    }
}
