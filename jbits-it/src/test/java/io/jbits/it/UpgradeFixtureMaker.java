package io.jbits.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Makes the upgrade fixture ({@link UpgradeFixture}) with the real service of this version: {@code main(OUT_DIR)}
 * with the jbits-it test class path, as root (nginx), writes {@code OUT_DIR/jobs.db} and {@code OUT_DIR/dest/}.
 * Copy them to {@code src/test/resources/upgrade-fixture-v2/} only when the fixture of a new schema version is made;
 * the kept one is what an older jbits left behind, and must stay as it is.
 *
 * <p>The jobs are made through the CLI in an order that leaves each in its state: foreground jobs first (they are
 * not limited), then with one background job at a time (the default) a slow high-priority transfer that is interrupted by
 * {@code jbits service stop} and a low-priority job queued behind it.
 */
final class UpgradeFixtureMaker {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private UpgradeFixtureMaker() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(out);
        Path data = Files.createTempDirectory(Path.of("/tmp"), "jbits-fx-data-");
        Path dest = Files.createTempDirectory(Path.of("/tmp"), "jbits-fx-dest-");
        for (UpgradeFixture.Source s : UpgradeFixture.SOURCES) {
            if (s != UpgradeFixture.ERROR_FILE) {
                s.writeTo(data);
            }
        }
        UpgradeFixture.UPLOAD_FILE.writeTo(dest);
        int deadPort = Os.freeLoopbackPort();
        int uploadPort = Os.freeLoopbackPort();
        try (Nginx nginx = Nginx.start(data, "64k"); Cli cli = Cli.create()) {
            String web = "http://127.0.0.1:" + nginx.port();
            Map<String, String> ids = new TreeMap<>();

            ids.put("fx-transferred", download(cli, "fx-transferred", "foreground", web, dest));
            cli.ok("resume", ids.get("fx-transferred"));
            cli.awaitState(ids.get("fx-transferred"), "TRANSFERRED", WAIT);

            ids.put("fx-acknowledged", download(cli, "fx-acknowledged", "foreground", web, dest));
            cli.ok("resume", ids.get("fx-acknowledged"));
            cli.awaitState(ids.get("fx-acknowledged"), "TRANSFERRED", WAIT);
            cli.ok("complete", ids.get("fx-acknowledged"));

            ids.put("fx-cancelled", download(cli, "fx-cancelled", "foreground", web, dest));
            cli.ok("cancel", ids.get("fx-cancelled"));

            ids.put("fx-error", download(cli, "fx-error", "foreground", web, dest));
            cli.ok("resume", ids.get("fx-error"));
            cli.awaitState(ids.get("fx-error"), "ERROR", WAIT);

            ids.put("fx-transient", download(cli, "fx-transient", "foreground", "http://127.0.0.1:" + deadPort,
                    dest));
            cli.ok("resume", ids.get("fx-transient"));
            cli.awaitState(ids.get("fx-transient"), "TRANSIENT_ERROR", WAIT);

            ids.put("fx-suspended", download(cli, "fx-suspended", "normal", web, dest));

            String upload = cli.ok("create", "--type", "upload", "--priority", "normal", "fx-upload");
            cli.ok("add", upload, "http://127.0.0.1:" + uploadPort + "/" + UpgradeFixture.UPLOAD_FILE.name(),
                    dest.resolve(UpgradeFixture.UPLOAD_FILE.name()).toString());
            ids.put("fx-upload", upload);

            String interrupted = cli.createJob("fx-interrupted", "high");
            cli.ok("add", interrupted, web + "/slow/" + UpgradeFixture.INTERRUPTED_FILE.name(),
                    dest.resolve(UpgradeFixture.INTERRUPTED_FILE.name()).toString());
            cli.ok("resume", interrupted);
            cli.awaitInfo(interrupted, "300 kB transferred", WAIT,
                    i -> i.path("bytesTransferred").asLong() >= 300_000);
            ids.put("fx-interrupted", interrupted);

            ids.put("fx-queued", download(cli, "fx-queued", "low", web, dest));
            cli.ok("resume", ids.get("fx-queued"));
            String queued = cli.info(ids.get("fx-queued")).path("state").asText();
            if (!queued.equals("QUEUED")) {
                throw new AssertionError("fx-queued is " + queued + ", not QUEUED");
            }
            cli.ok("service", "stop");

            Files.copy(cli.home().resolve("jobs.db"), out.resolve("jobs.db"), StandardCopyOption.REPLACE_EXISTING);
            UpgradeFixture.relocate(out.resolve("jobs.db"),
                    List.of(web, "http://127.0.0.1:" + deadPort, "http://127.0.0.1:" + uploadPort, dest.toString()),
                    List.of(UpgradeFixture.WEB, UpgradeFixture.WEB, UpgradeFixture.UPLOAD, UpgradeFixture.DEST));
            Path outDest = Files.createDirectories(out.resolve("dest"));
            try (Stream<Path> files = Files.list(dest)) {
                for (Path f : files.toList()) {
                    // Only what the jobs point at and a user could not make again: the temporary files.
                    if (!f.getFileName().toString().equals(UpgradeFixture.UPLOAD_FILE.name())
                            && !f.getFileName().toString().equals(UpgradeFixture.ACKNOWLEDGED_FILE.name())) {
                        Files.copy(f, outDest.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } finally {
            Os.deleteTree(data);
            Os.deleteTree(dest);
        }
    }

    private static String download(Cli cli, String name, String priority, String origin, Path dest) {
        String id = cli.createJob(name, priority);
        UpgradeFixture.Source s = UpgradeFixture.job(name).source();
        cli.ok("add", id, origin + "/" + s.name(), dest.resolve(s.name()).toString());
        return id;
    }
}
