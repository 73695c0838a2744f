package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbits policy}, {@code set --max-rate} and {@code transfer --max-rate} as parsed, against fake services. */
class PolicyCommandTest {
    @TempDir
    Path cwd;
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
        return Main.run(args, cli);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void setSendsTheLimitAndTheScheduleAsWritten() {
        assertEquals(0, run("policy", "set", "--limit", "4M", "--schedule", "Mon-Fri 08:00,512k 18:00,off"));
        assertEquals(List.of("set-policy 4M | Mon-Fri 08:00,512k 18:00,off"), services.calls);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("background limit: Mon-Fri 08:00,512k 18:00,off"));
    }

    @Test
    void theGroupPolicyWindowBecomesATimetable() {
        assertEquals(0, run("policy", "set", "--window", "Mon-Fri 08:00-18:00", "--window-limit", "256k",
                "--outside-limit", "2M"));
        assertEquals(List.of("set-policy null | Mon-Fri 08:00,256k 18:00,2M"), services.calls);
    }

    @Test
    void badRatesAndTimetablesAreRefusedBeforeAnythingIsSent() {
        assertEquals(2, run("policy", "set", "--limit", "fast"));
        assertTrue(err().contains("--limit: bad RATE 'fast'"), err());
        assertEquals(2, run("policy", "set", "--schedule", "Mon-Fri 08:00,512k 25:00,off"));
        assertTrue(err().contains("'25:00' is not a time of day"), err());
        assertEquals(2, run("policy", "set", "--background-limit", "1M", "--schedule", "08:00,1M 18:00,off"));
        assertEquals(2, run("policy", "set"));
        assertEquals(List.of(), services.calls);
    }

    @Test
    void showPrintsThePolicyOrItsJson() {
        assertEquals(0, run("policy", "show"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("now:"));
        out.reset();
        assertEquals(0, run("policy", "show", "--json"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"backgroundLimit\" : \"off\""),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void setMaxRateReadsARateAndOffRemovesTheCap() {
        assertEquals(0, run("set", "0123", "--max-rate", "512k"));
        assertEquals(0, run("set", "0123", "--max-rate", "off"));
        assertEquals(List.of("max-rate 0123 524288", "max-rate 0123 -1"), services.calls);
        assertEquals(2, run("set", "0123", "--max-rate", "12parsecs"));
        assertTrue(err().contains("--max-rate: bad RATE '12parsecs'"), err());
        assertEquals(2, services.calls.size());
    }

    @Test
    void transferWithMaxRateCapsTheJobBeforeItStarts() throws java.io.IOException {
        java.nio.file.Files.writeString(cwd.resolve("f"), "the file the service would have moved in place");
        assertEquals(0, run("transfer", "--max-rate", "1.5M", "http://h/f", "f"));
        assertEquals("max-rate 0123abcd-0000-4000-8000-000000000000 1572864", services.calls.get(1));
        assertTrue(services.calls.indexOf(services.calls.get(1)) < services.calls.indexOf(
                "resume 0123abcd-0000-4000-8000-000000000000"));
    }
}
