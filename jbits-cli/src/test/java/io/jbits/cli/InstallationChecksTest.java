package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationChecksTest {
    @TempDir
    Path dir;

    private Path install() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.createDirectories(app.resolve("lib"));
        Files.writeString(app.resolve("lib/a.jar"), "jar a");
        Files.writeString(app.resolve("bin-jbits"), "launcher");
        Path outside = Files.writeString(dir.resolve("outside.1"), "a man page");
        Files.writeString(app.resolve(InstallationChecks.MANIFEST),
                sha("jar a") + "  lib/a.jar\n" + sha("launcher") + "  bin-jbits\n" + sha("a man page") + "  "
                        + outside + "\n");
        return app;
    }

    private static String sha(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private InstallationChecks checks(Path app, boolean systemd) {
        return new InstallationChecks(app, Path.of(System.getProperty("java.home")), systemd, dir.resolve("root"),
                dir.resolve("home"));
    }

    @Test
    void filesMatchingTheManifestPass() throws Exception {
        DoctorCheck c = checks(install(), false).files();
        assertEquals(DoctorCheck.Outcome.PASS, c.outcome(), c.line());
        assertTrue(c.detail().startsWith("3 files match"), c.line());
    }

    @Test
    void aChangedFileIsNamedAndFails() throws Exception {
        Path app = install();
        Files.writeString(app.resolve("lib/a.jar"), "jar b");
        DoctorCheck c = checks(app, false).files();
        assertEquals(DoctorCheck.Outcome.FAIL, c.outcome());
        assertTrue(c.detail().contains("1 changed: " + app.resolve("lib/a.jar")), c.line());
        assertFalse(c.detail().contains("bin-jbits"), c.line());
    }

    @Test
    void aMissingFileWithAnAbsolutePathIsNamedAndFails() throws Exception {
        Path app = install();
        Files.delete(dir.resolve("outside.1"));
        DoctorCheck c = checks(app, false).files();
        assertEquals(DoctorCheck.Outcome.FAIL, c.outcome());
        assertTrue(c.detail().contains("1 missing: " + dir.resolve("outside.1")), c.line());
    }

    @Test
    void noManifestFailsAndACheckoutIsNotApplicable() throws Exception {
        Path app = install();
        Files.delete(app.resolve(InstallationChecks.MANIFEST));
        assertEquals(DoctorCheck.Outcome.FAIL, checks(app, false).files().outcome());
        DoctorCheck checkout = checks(null, false).files();
        assertEquals(DoctorCheck.Outcome.NOT_APPLICABLE, checkout.outcome());
        assertTrue(checkout.fine());
        assertTrue(checkout.detail().contains("checkout"), checkout.line());
    }

    @Test
    void theRuntimeOfThisProcessStartsAndAMissingOneFails() {
        DoctorCheck c = checks(null, false).runtime();
        assertEquals(DoctorCheck.Outcome.PASS, c.outcome(), c.line());
        DoctorCheck none = new InstallationChecks(null, dir.resolve("no-jdk"), false, dir, dir).runtime();
        assertEquals(DoctorCheck.Outcome.FAIL, none.outcome(), none.line());
    }

    @Test
    void systemdUnitsEnabledForAllMaskedOrDisabled() throws IOException {
        Path root = dir.resolve("root");
        Path home = dir.resolve("home");
        assertEquals(DoctorCheck.Outcome.NOT_APPLICABLE, checks(null, false).systemd().outcome());
        assertEquals(DoctorCheck.Outcome.NOT_APPLICABLE, checks(null, true).systemd().outcome(), "no units");

        Files.createDirectories(root.resolve("usr/lib/systemd/user"));
        Files.writeString(root.resolve("usr/lib/systemd/user/jbits.socket"), "[Socket]\n");
        assertEquals(DoctorCheck.Outcome.FAIL, checks(null, true).systemd().outcome(), "not enabled");

        Path wants = Files.createDirectories(root.resolve("etc/systemd/user/sockets.target.wants"));
        Files.createSymbolicLink(wants.resolve("jbits.socket"), Path.of("/usr/lib/systemd/user/jbits.socket"));
        DoctorCheck enabled = checks(null, true).systemd();
        assertEquals(DoctorCheck.Outcome.PASS, enabled.outcome(), enabled.line());

        Path userUnits = Files.createDirectories(home.resolve(".config/systemd/user"));
        Files.createSymbolicLink(userUnits.resolve("jbits.socket"), Path.of("/dev/null"));
        DoctorCheck masked = checks(null, true).systemd();
        assertEquals(DoctorCheck.Outcome.FAIL, masked.outcome());
        assertTrue(masked.detail().contains("masked"), masked.line());
        Files.delete(userUnits.resolve("jbits.socket")); // JUnit warns about links out of its directory
    }
}
