package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JbitsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local paths of a new set of files, checked against real directories whether each is looked at or listed. */
class InputsLocalPathTest {
    @TempDir
    Path dir;

    @Test
    void aNameTakenByADirectoryIsRefusedWhetherTheDirectoryIsListedOrNot() throws Exception {
        Files.createDirectory(dir.resolve("f0003"));
        Files.createDirectory(dir.resolve("f0030"));
        Files.writeString(dir.resolve("f0031"), "an older file: replaced at complete, as BITS does");
        LocalDirectories directories = new LocalDirectories();
        int accepted = 0;
        for (int i = 0; i < 40; i++) {
            String name = dir.resolve(String.format("f%04d", i)).toString();
            if (i == 3 || i == 30) { // before and after the directory is listed
                JbitsException refused = assertThrows(JbitsException.class,
                        () -> Inputs.localPath(name, directories));
                assertTrue(refused.getMessage().contains("local path is a directory"), refused.getMessage());
            } else {
                assertEquals(name, Inputs.localPath(name, directories));
                accepted++;
            }
        }
        assertEquals(38, accepted);
        assertTrue(40 > LocalDirectories.LIST_FROM, "the set is large enough to list its directory");
    }

    @Test
    void aDirectoryTooLargeToListIsLookedAtFileByFile() throws Exception {
        int entries = LocalDirectories.LIST_FROM * LocalDirectories.MAX_LISTED_PER_FILE + 10;
        for (int i = 0; i < entries; i++) {
            Files.createFile(dir.resolve("old" + i));
        }
        Files.createDirectory(dir.resolve("new39"));
        LocalDirectories directories = new LocalDirectories();
        for (int i = 0; i < 39; i++) {
            String name = dir.resolve("new" + i).toString();
            assertEquals(name, Inputs.localPath(name, directories));
        }
        String taken = dir.resolve("new39").toString();
        JbitsException refused = assertThrows(JbitsException.class, () -> Inputs.localPath(taken, directories));
        assertTrue(refused.getMessage().contains("local path is a directory"), refused.getMessage());
    }

    @Test
    void aParentThatIsAFileIsRefusedAndAMissingOneIsMadeLater() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        LocalDirectories directories = new LocalDirectories();
        for (int i = 0; i < 20; i++) {
            String under = dir.resolve("plain").resolve("f" + i).toString();
            JbitsException refused = assertThrows(JbitsException.class, () -> Inputs.localPath(under, directories));
            assertTrue(refused.getMessage().contains("not a directory"), refused.getMessage());
            String missing = dir.resolve("later").resolve("f" + i).toString();
            assertEquals(missing, Inputs.localPath(missing, directories));
        }
    }

    @Test
    void pathsAreNormalizedAndMustBeAbsoluteAndNameAFile() {
        LocalDirectories directories = new LocalDirectories();
        assertEquals(dir.resolve("b").toString(), Inputs.localPath(dir + "/a/../b", directories));
        assertThrows(JbitsException.class, () -> Inputs.localPath("relative/file", directories));
        assertThrows(JbitsException.class, () -> Inputs.localPath("/", directories));
    }
}
