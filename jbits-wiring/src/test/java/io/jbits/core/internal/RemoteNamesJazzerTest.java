package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.api.JbitsException;
import io.jbits.spi.TransportFactory;
import io.jbits.spi.TransportSet;
import io.jbits.spi.TransportSettings;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.HttpHost;

/**
 * Coverage-guided fuzzing (Jazzer) of remote names (URLs, UNC names and their slash form) as the engine checks them
 * ({@link Transports#check}, with the real transports of the class path): a name it accepts is one the transport
 * that gets it takes apart without refusing, and one that reads back as itself once stored; a name it refuses gets
 * an {@code invalidArgument} refusal. It lives here, beside the wiring, because only here are the engine's checks
 * and the real transports on one class path. A plain test run replays
 * {@code src/test/resources/io/jbits/core/internal/RemoteNamesJazzerTestInputs}.
 */
class RemoteNamesJazzerTest {
    private static final Transports TRANSPORTS = transports();
    private static final Method SMB_NAME = smbName();

    private static Transports transports() {
        List<io.jbits.spi.Transport> downloads = new ArrayList<>();
        List<io.jbits.spi.UploadTransport> uploads = new ArrayList<>();
        for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
            try {
                TransportSet set = f.open(TransportSettings.defaults());
                downloads.addAll(set.downloads());
                uploads.addAll(set.uploads());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Transports(downloads, uploads);
    }

    /** The SMB transport's own reading of a name (package-private there, so reached by reflection). */
    private static Method smbName() {
        try {
            Method of = Class.forName("io.jbits.transport.smb.SmbName").getDeclaredMethod("of", URI.class);
            of.setAccessible(true);
            return of;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anAcceptedNameIsOneItsTransportTakesAndReadsBackAsItself(byte[] input) {
        boolean upload = input.length > 0 && (input[0] & 1) == 1;
        String name = new String(input, Math.min(1, input.length), Math.max(0, input.length - 1),
                StandardCharsets.UTF_8);
        URI uri;
        try {
            uri = TRANSPORTS.check(name, upload);
        } catch (JbitsException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a reason");
            return;
        }
        String where = "'" + name + "' accepted as " + uri;
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        assertTrue(uri.getPort() <= 65_535, where);
        switch (scheme) {
            case "http", "https" -> {
                assertTrue(uri.getHost() != null && !uri.getHost().isEmpty(), where + ": no host");
                try {
                    HttpHost host = HttpHost.create(uri);
                    assertTrue(host.getPort() <= 65_535, where + ": port " + host.getPort());
                    HttpGet get = new HttpGet(uri);
                    assertTrue(get.getRequestUri().startsWith("/") || get.getRequestUri().startsWith("*")
                            || get.getRequestUri().startsWith("http"), where + ": request target "
                            + get.getRequestUri());
                } catch (RuntimeException e) {
                    fail(where + ", which the HTTP client refuses: " + e, e);
                }
            }
            case "smb" -> {
                try {
                    SMB_NAME.invoke(null, uri);
                } catch (InvocationTargetException e) {
                    fail(where + ", which the SMB transport refuses: " + e.getCause(), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> fail(where + ": a scheme no transport here knows");
        }
        URI again;
        try {
            again = TRANSPORTS.check(uri.toString(), upload);
        } catch (JbitsException e) {
            throw new AssertionError(where + ", but refused once stored: " + e.getMessage(), e);
        }
        assertEquals(uri, again, where + " reads back");
    }
}
