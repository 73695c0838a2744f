package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JbitsException;
import java.net.URI;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SMB remote names: the three spellings become one smb: URL, checked once where remote names are validated. */
class InputsSmbTest {
    private static final Predicate<URI> SMB_AND_HTTP =
            u -> u.getScheme().equals("smb") || u.getScheme().startsWith("http");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\\\\files\\public\\iso\\disk.iso    | smb://files/public/iso/disk.iso",
            "//files/public/iso/disk.iso         | smb://files/public/iso/disk.iso",
            "smb://files/public/iso/disk.iso     | smb://files/public/iso/disk.iso",
            "\\\\files\\my share\\a b#1%.txt     | smb://files/my%20share/a%20b%231%25.txt",
            "//127.0.0.1:4445/data/x.bin         | smb://127.0.0.1:4445/data/x.bin",
            "  \\\\files\\public\\x              | smb://files/public/x"})
    void everySpellingBecomesOneSmbUrl(String given, String stored) {
        URI uri = Inputs.url(given, false, SMB_AND_HTTP);
        assertEquals(stored, uri.toString());
        assertEquals(stored, Inputs.url(uri.toString(), true, SMB_AND_HTTP).toString(), "stable once stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\\\files", "\\\\files\\share", "\\\\files\\share\\", "smb://files/share",
            "smb:///share/file", "//", "\\\\\\share\\file", "smb://files/share/dir/", "smb://files/share/f?x=1"})
    void namesWithoutAServerAShareAndAFileAreRefusedClearly(String given) {
        JbitsException e = assertThrows(JbitsException.class, () -> Inputs.url(given, false, SMB_AND_HTTP));
        assertTrue(e.getMessage().contains(given.strip()) || e.getMessage().contains("server"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\\\files\\public\\x", "smb://files/public/x"})
    void withoutAnSmbTransportTheSchemeIsNamed(String given) {
        JbitsException e = assertThrows(JbitsException.class,
                () -> Inputs.url(given, false, u -> u.getScheme().startsWith("http")));
        assertTrue(e.getMessage().contains("unsupported URL scheme 'smb'"), e.getMessage());
    }
}
