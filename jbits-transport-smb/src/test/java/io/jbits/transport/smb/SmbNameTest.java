package io.jbits.transport.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SmbNameTest {
    @Test
    void splitsServerShareAndPathWithBackslashes() {
        SmbName n = SmbName.of(URI.create("smb://files.corp:4445/Public/iso/2024/disk%20one.iso"));
        assertEquals(new SmbName("files.corp", 4445, "Public", "iso\\2024\\disk one.iso"), n);
        assertEquals("iso\\2024", n.directory());
        assertEquals("disk one.iso", n.fileName());
        assertEquals("\\\\files.corp:4445\\Public\\iso\\2024\\disk one.iso", n.unc());
    }

    @Test
    void thePortDefaultsTo445AndAFileAtTheRootHasNoDirectory() {
        SmbName n = SmbName.of(URI.create("smb://h/s/f.bin"));
        assertEquals(445, n.port());
        assertEquals("", n.directory());
        assertEquals("\\\\h\\s\\f.bin", n.unc());
    }

    @Test
    void namesWithoutShareOrFileAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SmbName.of(URI.create("smb://h/share")));
        assertThrows(IllegalArgumentException.class, () -> SmbName.of(URI.create("smb://h/share/")));
        assertThrows(IllegalArgumentException.class, () -> SmbName.of(URI.create("smb://h/share/dir/")));
        assertThrows(IllegalArgumentException.class, () -> SmbName.of(URI.create("http://h/share/f")));
    }
}
