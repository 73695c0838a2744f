package io.jbits.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** The version of jbits these classes were built as (from the build, so the CLI and the service can compare). */
public final class JbitsVersion {
    /** The build writes the version into this resource, beside this class. */
    static final String RESOURCE = "io/jbits/rest/version.properties";
    private static final String VERSION = load();

    private JbitsVersion() {
    }

    /** The version, such as {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = open()) {
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

    /**
     * The resource, read from this class's own jar when the class came from one. The class loader's search would
     * open every jar on the class path before this one to look for it (five in the CLI's order: 5-8 ms of
     * {@code jbits version}, a command that opens no other jar).
     */
    private static InputStream open() throws IOException {
        Path jar = ownJar();
        if (jar != null) {
            InputStream in = fromJar(jar);
            if (in != null) {
                return in;
            }
        }
        return JbitsVersion.class.getClassLoader().getResourceAsStream(RESOURCE);
    }

    /** The jar this class was loaded from, or null (a build's class directory, an unusual loader). */
    static Path ownJar() {
        CodeSource source = JbitsVersion.class.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null || !"file".equals(url.getProtocol()) || !url.getPath().endsWith(".jar")) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The version resource's bytes from {@code jar}, or null when it does not hold one. */
    static InputStream fromJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            ZipEntry entry = file.getEntry(RESOURCE);
            if (entry == null) {
                return null;
            }
            try (InputStream in = file.getInputStream(entry)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }
}
