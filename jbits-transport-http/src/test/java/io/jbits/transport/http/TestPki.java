package io.jbits.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority made with the JDK's keytool in a temporary directory: its PEM certificate, and
 * PKCS#12 key stores of leaf certificates it signs (server or client), each also as PEM files.
 */
final class TestPki {
    static final String PASSWORD = "changeit";

    private final Path dir;
    final Path caPem;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
    }

    /** A new CA, valid from 30 days ago for 60 days (so that certificates it signed in the past chain to it). */
    static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(dir);
        pki.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=jbits test CA", "-ext", "bc:c", "-keyalg", "EC",
                "-startdate", "-30d", "-validity", "60", "-keystore", pki.store("ca").toString());
        pki.keytool("-exportcert", "-alias", "ca", "-rfc", "-file", pki.caPem.toString(), "-keystore",
                pki.store("ca").toString());
        return pki;
    }

    /**
     * A leaf certificate signed by this CA, in {@code name.p12} (key, certificate and CA chain) and
     * {@code name.pem} / {@code name.key} (chain and PKCS#8 key as PEM).
     *
     * @param san the subjectAltName, e.g. {@code ip:127.0.0.1}
     * @param startDaysAgo how many days ago the validity starts
     * @param validityDays how many days it lasts
     */
    Path leaf(String name, String san, int startDaysAgo, int validityDays) throws Exception {
        Path store = store(name);
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", "leaf", "-dname", "CN=" + name, "-keyalg", "EC", "-keystore",
                store.toString());
        keytool("-certreq", "-alias", "leaf", "-file", csr.toString(), "-keystore", store.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
                store("ca").toString(), "-infile", csr.toString(), "-outfile", pem.toString(), "-rfc", "-ext",
                "san=" + san, "-validity", String.valueOf(validityDays)));
        if (startDaysAgo > 0) {
            gencert.addAll(List.of("-startdate", "-" + startDaysAgo + "d"));
        }
        keytool(gencert.toArray(new String[0]));
        keytool("-importcert", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(),
                "-noprompt");
        keytool("-importcert", "-alias", "leaf", "-file", pem.toString(), "-keystore", store.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Key key = ks.getKey("leaf", PASSWORD.toCharArray());
        Files.writeString(dir.resolve(name + ".key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return store;
    }

    /** A PKCS#12 trust store holding the CA certificate alone (for a server that checks client certificates). */
    Path trustStore() throws Exception {
        Path store = store("ca-trust");
        if (!Files.exists(store)) {
            keytool("-importcert", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(),
                    "-noprompt");
        }
        return store;
    }

    Path pem(String name) {
        return dir.resolve(name + ".pem");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + Files.readString(log));
        }
    }
}
