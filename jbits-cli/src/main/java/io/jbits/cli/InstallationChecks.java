package io.jbits.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jbits doctor}'s checks of the installation: its files against the digest manifest the build wrote, the
 * bundled runtime, and the systemd user units.
 *
 * @param installation the installation's directory (the launcher's {@code jbits.home}), or null from a checkout
 * @param javaHome the Java runtime this process runs on
 * @param systemdRunning whether systemd is the init system here ({@code /run/systemd/system} exists)
 * @param root the file system root the units are looked up under ({@code /}; a directory in tests)
 * @param home the user's home directory (their own unit settings)
 */
record InstallationChecks(Path installation, Path javaHome, boolean systemdRunning, Path root, Path home) {
    /** The manifest's name in the installation: sha256sum's format, one {@code <hex>  <path>} a line. */
    static final String MANIFEST = "manifest.sha256";
    private static final String SOCKET_UNIT = "jbits.socket";
    private static final int MAX_NAMED = 10;

    /** Every file in the manifest has its digest; a changed or missing one is named. */
    DoctorCheck files() {
        if (installation == null) {
            return DoctorCheck.notApplicable("files", "jbits runs from a checkout, which has no digest manifest "
                    + "(the packages install one)");
        }
        Path manifest = installation.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return DoctorCheck.fail("files", "no digest manifest " + manifest);
        } catch (IOException e) {
            return DoctorCheck.fail("files", "cannot read " + manifest + ": " + e.getMessage());
        }
        List<String> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int gap = line.indexOf("  ");
            if (gap != 64) {
                return DoctorCheck.fail("files", manifest + " is damaged (line " + (checked + 1) + ")");
            }
            String name = line.substring(gap + 2);
            Path file = name.startsWith("/") ? Path.of(name) : installation.resolve(name);
            checked++;
            try {
                if (!Files.isRegularFile(file)) {
                    missing.add(file.toString());
                } else if (!VersionReport.sha256(file).equals(line.substring(0, gap))) {
                    changed.add(file.toString());
                }
            } catch (IOException e) {
                changed.add(file + " (unreadable: " + e.getMessage() + ")");
            }
        }
        if (changed.isEmpty() && missing.isEmpty()) {
            return DoctorCheck.pass("files", checked + " files match " + manifest);
        }
        StringBuilder b = new StringBuilder();
        if (!changed.isEmpty()) {
            b.append(changed.size()).append(" changed: ").append(named(changed));
        }
        if (!missing.isEmpty()) {
            b.append(b.isEmpty() ? "" : "; ").append(missing.size()).append(" missing: ").append(named(missing));
        }
        return DoctorCheck.fail("files", b + " (of " + checked + " in " + manifest + "; reinstall jbits)");
    }

    private static String named(List<String> files) {
        String shown = String.join(", ", files.subList(0, Math.min(MAX_NAMED, files.size())));
        return files.size() > MAX_NAMED ? shown + ", ..." : shown;
    }

    /** The runtime's {@code java -version} runs and exits 0 (the service is started on this runtime). */
    DoctorCheck runtime() {
        Path java = javaHome.resolve("bin").resolve("java");
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("");
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return DoctorCheck.fail("runtime", java + " -version did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                return DoctorCheck.fail("runtime", java + " -version exited " + p.exitValue() + ": " + first);
            }
            return DoctorCheck.pass("runtime", java + " starts (" + first.strip() + ")");
        } catch (IOException e) {
            return DoctorCheck.fail("runtime", "cannot start " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DoctorCheck.fail("runtime", "interrupted while starting " + java);
        }
    }

    /**
     * jbits.socket is enabled for this user: enabled for every user (the package does it) or by the user, and not
     * masked by the user ({@code jbits service uninstall} masks it).
     */
    DoctorCheck systemd() {
        if (!systemdRunning) {
            return DoctorCheck.notApplicable("systemd", "systemd does not run here (the jbits command starts the "
                    + "service on demand)");
        }
        Path vendorUnit = root.resolve("usr/lib/systemd/user").resolve(SOCKET_UNIT);
        if (!Files.isRegularFile(vendorUnit)) {
            return DoctorCheck.notApplicable("systemd", "no jbits units installed (" + vendorUnit
                    + "); the jbits command starts the service on demand");
        }
        Path userConfig = home.resolve(".config/systemd/user");
        Path globalConfig = root.resolve("etc/systemd/user");
        for (Path dir : List.of(userConfig, globalConfig)) {
            if (masked(dir.resolve(SOCKET_UNIT))) {
                return DoctorCheck.fail("systemd", SOCKET_UNIT + " is masked (" + dir.resolve(SOCKET_UNIT)
                        + "); 'systemctl --user unmask " + SOCKET_UNIT + "' undoes it");
            }
        }
        for (Path dir : List.of(userConfig, globalConfig)) {
            Path link = dir.resolve("sockets.target.wants").resolve(SOCKET_UNIT);
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                return DoctorCheck.pass("systemd", SOCKET_UNIT + " enabled (" + link + ")");
            }
        }
        return DoctorCheck.fail("systemd", SOCKET_UNIT + " is not enabled; 'systemctl --user enable --now "
                + SOCKET_UNIT + "' enables it for you");
    }

    private static boolean masked(Path unit) {
        try {
            return Files.isSymbolicLink(unit) && Files.readSymbolicLink(unit).toString().equals("/dev/null");
        } catch (IOException e) {
            return false;
        }
    }
}
