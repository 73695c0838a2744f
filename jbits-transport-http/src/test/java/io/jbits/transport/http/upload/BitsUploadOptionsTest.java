package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.JobOptions;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadRequest;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads honour the job's HTTP options as downloads do: server credentials and extra headers. */
class BitsUploadOptionsTest {
    private static final String AUTHORIZATION = "Basic " + Base64.getEncoder()
            .encodeToString("ann:s3cret".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path temp;
    private Path uploads;
    private Servers servers;
    private BitsUploadClient client;
    private final List<String> tenants = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        servers = new Servers(temp);
        client = BitsUploadClient.create(HttpTransportConfig.defaults());
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        servers.close();
    }

    /** Lets requests with ann's Basic credentials through to the uploads; answers 401 to the others. */
    private Handler basicAuth() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                tenants.add(String.valueOf(request.getHeaders().get("X-Tenant")));
                if (AUTHORIZATION.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    return false;
                }
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"uploads\"");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                callback.succeeded();
                return true;
            }
        };
    }

    private UploadRequest request(URI url, Path file, JobOptions options) throws IOException {
        return new UploadRequest(url, file, Files.size(file), "{}", false, "alice", options.toJson());
    }

    @Test
    void anUploadWithServerCredentialsAndHeadersArrives() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), basicAuth());
        Path file = TestFiles.random(temp.resolve("local.bin"), 3 << 20, 5);
        JobOptions options = JobOptions.empty().with("cred.server.basic.user", "ann")
                .with("cred.server.basic.secret", "s3cret").with("http.headers", "X-Tenant: blue");
        UploadOutcome outcome = client.upload(request(server.url("f.bin"), file, options), new RecordingProgress());
        assertTrue(outcome.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertTrue(tenants.stream().allMatch("blue"::equals), tenants.toString());
    }

    @Test
    void uploadsOfOneOwnerToOneServerRunSideBySideAndAllArrive() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), basicAuth());
        JobOptions options = JobOptions.empty().with("cred.server.basic.user", "ann")
                .with("cred.server.basic.secret", "s3cret");
        int jobs = 6;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            files.add(TestFiles.random(temp.resolve("local-" + i + ".bin"), (2 << 20) + i * 4099L, 20 + i));
        }
        // Jobs of one owner with the same options to one server: the requests of each are in flight at once.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<UploadOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                UploadRequest request = request(server.url("f" + i + ".bin"), files.get(i), options);
                outcomes.add(pool.submit(() -> client.upload(request, new RecordingProgress())));
            }
            for (Future<UploadOutcome> outcome : outcomes) {
                assertTrue(outcome.get(60, TimeUnit.SECONDS).complete());
            }
        }
        for (int i = 0; i < jobs; i++) {
            assertEquals(TestFiles.sha256(files.get(i)), TestFiles.sha256(uploads.resolve("f" + i + ".bin")));
        }
    }

    @Test
    void anUploadWithoutTheCredentialsIsRefusedWith401() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), basicAuth());
        Path file = TestFiles.random(temp.resolve("local.bin"), 1000, 6);
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> client.upload(request(server.url("f.bin"), file, JobOptions.empty()), new RecordingProgress()));
        assertEquals(BitsCodes.forHttpStatus(401), f.error().code(), f.getMessage());
    }
}
