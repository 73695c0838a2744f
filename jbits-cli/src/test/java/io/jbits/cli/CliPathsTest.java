package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Cli#absoluteName}, which joins a normal name as text, gives exactly what {@link Cli#absolute} gives through
 * a Path, for every name and working directory, and refuses what it refuses.
 */
class CliPathsTest {
    private static Cli in(String cwd) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return new Cli(null, nowhere, nowhere, Path.of(cwd), false, false);
    }

    @Test
    void namesTheSameAsAPathDoes() {
        List<String> names = List.of("/dev/shm/d/f1.bin", "f.bin", "d/f.bin", "/", "", ".", "..", "./f", "../f",
                "d/./f", "d/../f", "d//f", "//d", "d/", "/d/", "/d/.", "/d/..", ".hidden", "..f", "f..", "d/.../f",
                "/a/b/c/../../x", " spaced name", "d/ü ñ/f", "/..", "///");
        for (String cwd : List.of("/", "/home/user", "/home/user/", "/home/./user", "/home/user/..")) {
            Cli cli = in(cwd);
            for (String name : names) {
                assertEquals(cli.absolute(name).toString(), cli.absoluteName(name), cwd + " + '" + name + "'");
            }
        }
    }

    @Test
    void randomNamesAgreeToo() {
        Random random = new Random(14);
        char[] alphabet = {'a', 'b', '/', '.', '.', ' '};
        Cli cli = in("/work/dir");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(10); n > 0; n--) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = name.toString();
            assertEquals(cli.absolute(s).toString(), cli.absoluteName(s), "'" + s + "'");
        }
    }

    @Test
    void aNulIsRefusedAsAPathRefusesIt() {
        Cli cli = in("/home/user");
        for (String name : List.of("/d/f\0", "f\0.bin", "\0")) {
            assertThrows(InvalidPathException.class, () -> cli.absoluteName(name), name);
        }
    }

    @Test
    void normalMeansNoEmptyDotOrDotDotPart() {
        for (String normal : List.of("/", "/a", "a", "a/b", "/a/.b/c..", "...")) {
            assertTrue(Cli.isNormal(normal), normal);
        }
        for (String not : List.of("", "//", "a/", "/a/", "a//b", "./a", "a/.", "a/..", "../a", "/a/./b", "a\0")) {
            assertFalse(Cli.isNormal(not), not);
        }
    }
}
