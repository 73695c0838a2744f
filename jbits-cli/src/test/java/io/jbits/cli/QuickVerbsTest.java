package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jbits.api.Priority;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which lines run without picocli ({@link QuickVerbs}) and which go to it: anything with an option the quick path
 * does not know, an argument file, a wrong count or a help flag must reach picocli, which owns usage and help.
 */
class QuickVerbsTest {
    private final Cli cli = new Cli(new FakeServices(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Path.of("/tmp"), false, false);

    @ParameterizedTest
    @ValueSource(strings = {"version", "info j", "info j --json", "info --json j", "list", "list --all",
        "list --json --all", "create nightly", "add j http://h/f out", "resume j", "suspend j", "cancel j",
        "complete j", "transfer http://h/f out", "transfer http://h/a a http://h/b b", "transfer --name n u p",
        "transfer --priority low http://h/f out", "transfer --upload a http://h/a", "transfer --upload=a http://h/a",
        "transfer --priority high --upload a http://h/a b http://h/b", "transfer --upload-reply a http://h/r",
        "transfer --upload-reply a --reply-file r http://h/r", "set j --priority high",
        "set --priority=low j", "set j --name n --description d --min-retry-delay 10m --no-progress-timeout 14d",
        "addfileset j files.txt", "transfer --file-set files.txt", "transfer --file-set=f http://h/a a",
        "transfer --priority low --file-set f", "wait j", "service start", "service stop", "service status"})
    void frequentLinesRunWithoutPicocli(String line) {
        assertNotNull(QuickVerbs.parse(line.split(" "), cli), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "version --help", "version x", "info", "info a b", "info j --help", "info j -h",
        "info j --json --json", "list --all --all", "list x", "list --verbose", "create", "create --priority high n",
        "create @args", "add j u", "add j u p x", "resume", "resume a b", "resume -x", "resume @file",
        "transfer", "transfer u", "transfer u p x", "transfer u -", "transfer --upload a", "transfer --upload a u b",
        "transfer --upload a --upload-reply b u", "transfer --reply-file r u p", "transfer --upload-reply a u v",
        "transfer --upload --priority high u", "transfer --priority urgent u p", "transfer --credentials x u p",
        "transfer --upload= u", "transfer --max-rate 1M u p", "transfer --name n --name m u p",
        "transfer --upload a u --help", "set j", "set --priority high",
        "set j --priority", "set j --priority high --priority low", "set j --priority urgent", "set j k --name n",
        "set j --max-rate 1M", "set j --description -x", "set j --min-retry-delay 10x", "set j --name n @more",
        "set j --help", "addfileset j", "addfileset j f x", "addfileset j -", "addfileset --help",
        "transfer --file-set f --upload a u", "transfer --file-set f --upload-reply a u", "transfer --file-set f u",
        "transfer --file-set", "transfer --file-set f --file-set g",
        "wait", "wait j k", "wait j --help", "service", "service run", "service recover", "service uninstall",
        "service status --help", "service stop x", "service start -h", "--version", "-h", "jobs"})
    void everyOtherLineGoesToPicocli(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertNull(QuickVerbs.parse(args, cli), line);
    }

    @Test
    void aQuickFileSetLineFillsTheFieldsPicocliWould() {
        TransferCommand c = (TransferCommand) QuickVerbs.parse(
                "transfer --file-set list.txt http://h/a a --name n".split(" "), cli);
        assertEquals("list.txt", c.fileSet);
        assertEquals("n", c.name);
        assertEquals(List.of("http://h/a", "a"), c.pairs);
        assertNull(c.upload);
    }

    @Test
    void aQuickUploadLineFillsTheFieldsPicocliWould() {
        TransferCommand c = (TransferCommand) QuickVerbs.parse(
                "transfer --priority=high --upload a http://h/a b http://h/b --name up".split(" "), cli);
        assertEquals("a", c.upload);
        assertEquals(Priority.HIGH, c.priority);
        assertEquals("up", c.name);
        assertEquals(List.of("http://h/a", "b", "http://h/b"), c.pairs);
        assertNull(c.uploadReply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"})
    void localTimesAreThoseOfJavaTimeInTheDefaultZone(String zone) {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try {
            DateTimeFormatter zoned = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of(zone));
            for (String t : new String[] {"2026-12-06T05:48:33.889Z", "2026-07-01T12:00:00Z", "1999-12-31T23:59:59Z",
                "2026-03-29T01:30:00Z", "2026-10-25T00:59:59.999Z", "2060-06-15T08:00:00Z"}) {
                Instant i = Instant.parse(t);
                assertEquals(zoned.format(i), Units.time(i), t + " in " + zone);
            }
        } finally {
            TimeZone.setDefault(before);
        }
        assertEquals("-", Units.time(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"set j --priority high", "set --priority=LOW j", "set j --name n --description d",
        "set j --min-retry-delay 10m --no-progress-timeout 14d", "set j --description= --name=a=b"})
    void aQuickSetChangesWhatPicocliWould(String line) {
        String[] args = line.split(" ");
        SetCommand quick = (SetCommand) QuickVerbs.parse(args, cli);
        SetCommand parsed = new SetCommand(cli);
        new picocli.CommandLine(parsed).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        assertEquals(parsed.job, quick.job, line);
        assertEquals(parsed.changes(), quick.changes(), line);
    }
}
