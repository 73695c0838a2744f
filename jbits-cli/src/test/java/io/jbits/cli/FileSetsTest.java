package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.NewFile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-set text of {@code jbits addfileset} and {@code transfer --file-set}, as bitsadmin /addfileset reads it. */
class FileSetsTest {
    @TempDir
    Path dir;

    private static List<List<String>> parse(String text) throws IOException {
        return FileSets.parse(new BufferedReader(new StringReader(text)), "set.txt").stream()
                .map(List::of).toList();
    }

    private static String refusal(String text) {
        return assertThrows(CliFailure.class, () -> parse(text)).getMessage();
    }

    @Test
    void readsPairsSkippingBlankLinesAndComments() throws IOException {
        assertEquals(List.of(List.of("http://h/a", "a.bin"), List.of("https://h/b?x=1", "out/b.bin"),
                        List.of("smb://srv/share/c", "c")),
                parse("# the nightly set\nhttp://h/a a.bin\n\n   \n  https://h/b?x=1 \t out/b.bin  \n"
                        + "  # indented comment\nsmb://srv/share/c\tc\n"));
    }

    @Test
    void theLocalNameIsTheRestOfTheLineAndEitherNameMayBeQuoted() throws IOException {
        assertEquals(List.of(List.of("http://h/a", "my file.bin")), parse("http://h/a my file.bin"));
        assertEquals(List.of(List.of("\\\\srv\\share\\my doc.txt", "doc.txt")),
                parse("\"\\\\srv\\share\\my doc.txt\" doc.txt"));
        assertEquals(List.of(List.of("http://h/a", " spaced ")), parse("http://h/a \" spaced \""));
        assertEquals(List.of(List.of("http://h/#frag", "x")), parse("http://h/#frag x"));
    }

    @Test
    void windowsTextReadsTheSame() throws IOException {
        assertEquals(List.of(List.of("http://h/a", "a"), List.of("http://h/b", "b")),
                parse("\uFEFFhttp://h/a a\r\nhttp://h/b b\r\n"));
    }

    @Test
    void aBadLineIsRefusedWithItsNumber() {
        assertEquals("set.txt line 2: 'http://h/b' has no local name (each line is REMOTE_URL LOCAL_PATH)",
                refusal("http://h/a a\nhttp://h/b\n"));
        assertEquals("set.txt line 1: a quote that is not closed", refusal("\"http://h/a a"));
        assertEquals("set.txt line 1: text after the quoted local name", refusal("http://h/a \"a\" b"));
        assertEquals("set.txt line 1: no space after the quoted remote name", refusal("\"http://h/a\"a b"));
        assertEquals("set.txt line 3: an empty name", refusal("#\n\n\"\" a"));
        assertTrue(refusal("# nothing\n\n").startsWith("file set set.txt names no file"));
        assertTrue(refusal("").startsWith("file set set.txt names no file"));
    }

    @Test
    void aSetFromAFileOrStandardInputHasAbsoluteLocalPaths() throws IOException {
        Files.writeString(dir.resolve("set.txt"), "http://h/a a.bin\nhttp://h/b /abs/b.bin\n");
        Cli cli = cli(new byte[0]);
        assertEquals(List.of(new NewFile("http://h/a", dir.resolve("a.bin").toString()),
                new NewFile("http://h/b", "/abs/b.bin")), FileSets.read(cli, "set.txt"));
        Cli piped = cli("http://h/c sub/c.bin\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new NewFile("http://h/c", dir.resolve("sub/c.bin").toString())), FileSets.read(piped, "-"));
    }

    @Test
    void aMissingOrUnreadableSetIsAUsageError() throws IOException {
        CliFailure missing = assertThrows(CliFailure.class, () -> FileSets.read(cli(new byte[0]), "none.txt"));
        assertEquals(Main.EXIT_USAGE, missing.exitCode());
        assertEquals("no file set none.txt (no such file)", missing.getMessage());
        Files.write(dir.resolve("latin1.txt"), new byte[] {'h', ' ', (byte) 0xE9, '\n'});
        assertEquals("file set latin1.txt is not UTF-8 text",
                assertThrows(CliFailure.class, () -> FileSets.read(cli(new byte[0]), "latin1.txt")).getMessage());
        Files.createDirectory(dir.resolve("adir"));
        assertTrue(assertThrows(CliFailure.class, () -> FileSets.read(cli(new byte[0]), "adir")).getMessage()
                .startsWith("cannot read file set adir: "));
    }

    private Cli cli(byte[] stdin) {
        return new Cli(new FakeServices(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), dir, false, false,
                new ByteArrayInputStream(stdin));
    }
}
