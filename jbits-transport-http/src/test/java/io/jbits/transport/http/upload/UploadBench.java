package io.jbits.transport.http.upload;

import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadRequest;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: times uploads of one file to an in-process {@code jbits serve} upload handler.
 * {@code java -cp ... io.jbits.transport.http.upload.UploadBench FILE RUNS WORKDIR}
 */
final class UploadBench {

    private UploadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        Path uploads = Files.createDirectories(work.resolve("uploads"));
        Path served = Files.createDirectories(work.resolve("served"));
        long size = Files.size(file);
        try (FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads))).start();
             BitsUploadClient client = BitsUploadClient.create(HttpTransportConfig.defaults())) {
            for (int i = 0; i < runs; i++) {
                Path stored = uploads.resolve("run" + i + ".bin");
                RecordingProgress progress = new RecordingProgress();
                long start = System.nanoTime();
                UploadOutcome outcome = client.upload(new UploadRequest(server.baseUri().resolve("run" + i + ".bin"),
                        file, size, "{}", false, "bench", "{}"), progress);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("run %d: %s %.3f s %.1f MiB/s, %d fragments%n", i, outcome.complete(), seconds,
                        size / seconds / (1 << 20), progress.acks.size());
                Files.delete(stored);
            }
        }
    }
}
