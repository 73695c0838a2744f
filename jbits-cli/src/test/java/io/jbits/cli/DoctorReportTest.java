package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DoctorReportTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int report(List<Supplier<DoctorCheck>> checks) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Cli cli = new Cli(new FakeServices(), ps, ps, Path.of("/"), false, false);
        return DoctorCommand.report(cli, checks);
    }

    @Test
    void passesAndNotApplicableExitZeroOneLineEach() {
        assertEquals(0, report(List.of(() -> DoctorCheck.pass("files", "3 files match"),
                () -> DoctorCheck.notApplicable("systemd", "systemd does not run here"))));
        assertEquals("ok    files: 3 files match\nn/a   systemd: not applicable: systemd does not run here\n"
                + "jbits doctor: all 2 checks pass\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void oneFailureExitsOne() {
        assertEquals(1, report(List.of(() -> DoctorCheck.pass("files", "3 files match"),
                () -> DoctorCheck.fail("state", "/s has mode rwxr-xr-x, not 0700"))));
        assertEquals("ok    files: 3 files match\nFAIL  state: /s has mode rwxr-xr-x, not 0700\n"
                + "jbits doctor: 1 of 2 checks failed\n", out.toString(StandardCharsets.UTF_8));
    }
}
