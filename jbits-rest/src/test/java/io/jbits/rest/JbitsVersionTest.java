package io.jbits.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's version, read from the class's own jar or, from a class directory, through the class loader. */
class JbitsVersionTest {
    @TempDir
    Path dir;

    @Test
    void theVersionIsTheOneTheBuildWrote() throws Exception {
        Properties built = new Properties();
        try (InputStream in = JbitsVersion.class.getClassLoader().getResourceAsStream(JbitsVersion.RESOURCE)) {
            built.load(in);
        }
        assertNotEquals("unknown", JbitsVersion.current());
        assertEquals(built.getProperty("version"), JbitsVersion.current());
    }

    @Test
    void aJarIsReadDirectlyAndOneWithoutTheResourceGivesNothing() throws Exception {
        Path with = jar("with.jar", JbitsVersion.RESOURCE, "version=9.8.7\n");
        Properties read = new Properties();
        try (InputStream in = JbitsVersion.fromJar(with)) {
            read.load(in);
        }
        assertEquals("9.8.7", read.getProperty("version"));
        assertNull(JbitsVersion.fromJar(jar("without.jar", "io/jbits/other.properties", "version=1\n")));
    }

    private Path jar(String name, String entry, String text) throws Exception {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(text.getBytes(StandardCharsets.ISO_8859_1));
            j.closeEntry();
        }
        return jar;
    }
}
