package io.jbits.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;

/**
 * {@code jbits version --verbose}: the version, commit and build time; the Java runtime with each of its modules;
 * and each library on the class path with its version and SHA-256, the file table an administrator compares.
 */
final class VersionReport {
    private VersionReport() {
    }

    /** Writes the report for this process: its build, its runtime ({@code java.home}) and its class path. */
    static void print(PrintStream out) throws IOException {
        BuildInfo build = BuildInfo.current();
        Path javaHome = Path.of(System.getProperty("java.home"));
        out.println("jbits " + build.version());
        out.println("commit:     " + build.commit());
        out.println("built:      " + build.buildTime());
        String installed = System.getProperty("jbits.home");
        out.println("installed:  " + (installed == null ? "no (a run from a checkout)" : installed));
        out.println("runtime:    " + System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + ") in " + javaHome);
        Path image = javaHome.resolve("lib").resolve("modules");
        if (Files.isRegularFile(image)) {
            out.println("            lib/modules " + Files.size(image) + " bytes, sha256 " + sha256(image));
        }
        List<ModuleReference> modules = ModuleFinder.ofSystem().findAll().stream()
                .sorted(Comparator.comparing(m -> m.descriptor().name())).toList();
        out.println("modules:    " + modules.size() + " in the runtime's image (lib/modules)");
        for (ModuleReference m : modules) {
            out.println("  " + m.descriptor().name() + " " + m.descriptor().rawVersion().orElse("-"));
        }
        List<Path> jars = classPath();
        out.println("libraries:  " + jars.size() + " on the class path");
        for (Path jar : jars) {
            out.printf("  %-52s %-16s %s%n", jar.getFileName(), jarVersion(jar), sha256(jar));
        }
    }

    /** The class path's entries, in order. */
    static List<Path> classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(Path::of).toList();
    }

    /** A jar's version: its manifest's Implementation-Version (or Bundle-Version), else "-". */
    static String jarVersion(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return "-";
        }
        try (JarFile f = new JarFile(jar.toFile())) {
            var manifest = f.getManifest();
            if (manifest == null) {
                return "-";
            }
            var a = manifest.getMainAttributes();
            String v = a.getValue("Implementation-Version");
            if (v == null) {
                v = a.getValue("Bundle-Version");
            }
            return v == null ? "-" : v;
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** The SHA-256 of a file in hex; of a directory (a build's classes), "-". */
    static String sha256(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "-";
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
