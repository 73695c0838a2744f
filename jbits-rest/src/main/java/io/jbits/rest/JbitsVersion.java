package io.jbits.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of jbits these classes were built as (from the build, so the CLI and the service can compare). */
public final class JbitsVersion {
    private static final String VERSION = load();

    private JbitsVersion() {
    }

    /** The version, such as {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = JbitsVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jbits version resource", e);
        }
    }
}
