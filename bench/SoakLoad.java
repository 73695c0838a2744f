import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * bench/soak.sh's load: creates JOBS background jobs through the service's API (a tenth of them at once, the rest at
 * an even pace until 95% of RUN_SECONDS, SOAK_CREATE_UNTIL=0.95), completes each when it is TRANSFERRED, and until RUN_SECONDS suspends,
 * resumes, cancels, re-prioritises and re-points (set-remote) random jobs, about one action a second. Then it
 * resumes what it suspended and waits, at most DRAIN_SECONDS, until every job it knows is ACKNOWLEDGED, CANCELLED or in ERROR.
 * The service may stop, restart or be killed at any moment: a call that gets no answer is tried again (for at most
 * 3 minutes); a refused one (a job that changed state meanwhile) is counted and skipped.
 *
 * The mix, by job: 80% nginx downloads of 1-3 files (some later moved to the same files under /alt/), 6% SMB
 * downloads of 1-2 files from Samba's guest share, 8% uploads to `jbits serve` /up/, 5% upload-reply jobs to
 * /reply/ (whose reply must read "soak-reply-ok"), 1% downloads of a missing file, which must end in ERROR.
 *
 * Writes OUT/expect.tsv (job id, a file the job must leave, its SHA-256) and OUT/jobs.tsv (index, id, kind), and
 * prints one line of counts (key=value).
 *
 * Usage: java -cp <jbits-cli/target/lib/*> bench/SoakLoad.java OUT DOWNLOADS MANIFEST NGINX_BASE SERVE_BASE SMB_BASE
 *        UP_DIR REPLY_DIR JOBS RUN_SECONDS DRAIN_SECONDS SEED
 * MANIFEST: lines "www|smb|up NAME SHA256" (up: NAME is the local file's absolute path).
 */
public class SoakLoad {
    /**
     * The share of the run over which the jobs are created, at an even pace after a first tenth at once: close to 1,
     * so that the load lasts through the second half, over which the slopes are fitted (SOAK_CREATE_UNTIL).
     */
    static final double CREATE_UNTIL = Double.parseDouble(System.getenv().getOrDefault("SOAK_CREATE_UNTIL", "0.95"));

    private static final String REPLY = "soak-reply-ok\n";
    private final Map<String, Long> counts = new TreeMap<>();
    private final Random random;
    private final ServiceClient client;
    private final Path out;
    private final Path downloads;
    private final List<String[]> www = new ArrayList<>();
    private final List<String[]> smb = new ArrayList<>();
    private final List<String[]> up = new ArrayList<>();
    private final String nginx;
    private final String serve;
    private final String smbBase;
    private final Path upDir;
    private final Path replyDir;
    /** Jobs not final yet, by id: their kind. */
    private final Map<String, String> live = new HashMap<>();
    /** Jobs this program suspended, with the time to resume them (ms). */
    private final Map<String, Long> suspended = new HashMap<>();
    private final PrintWriter expect;
    private final PrintWriter jobsOut;
    private List<JobInfo> latest = List.of();

    SoakLoad(String[] a) throws IOException {
        out = Path.of(a[0]);
        downloads = Path.of(a[1]);
        for (String line : Files.readAllLines(Path.of(a[2]))) {
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "www" -> www.add(f);
                case "smb" -> smb.add(f);
                case "up" -> up.add(f);
                default -> throw new IllegalArgumentException("manifest: " + line);
            }
        }
        nginx = a[3];
        serve = a[4];
        smbBase = a[5];
        upDir = Path.of(a[6]);
        replyDir = Path.of(a[7]);
        random = new Random(Long.parseLong(a[11]));
        client = ServiceClient.connect(ServicePaths.fromEnvironment().socket());
        expect = new PrintWriter(Files.newBufferedWriter(out.resolve("expect.tsv"), StandardCharsets.UTF_8));
        jobsOut = new PrintWriter(Files.newBufferedWriter(out.resolve("jobs.tsv"), StandardCharsets.UTF_8));
    }

    public static void main(String[] a) throws Exception {
        SoakLoad load = new SoakLoad(a);
        load.run(Integer.parseInt(a[8]), Long.parseLong(a[9]) * 1000, Long.parseLong(a[10]) * 1000);
    }

    void run(int jobs, long runMillis, long drainMillis) throws Exception {
        long t0 = System.currentTimeMillis();
        int created = 0;
        long nextPoll = 0;
        long nextAction = 0;
        while (System.currentTimeMillis() - t0 < runMillis) {
            long now = System.currentTimeMillis();
            double share = Math.min(1.0, 0.1 + 0.9 * (now - t0) / (CREATE_UNTIL * runMillis));
            while (created < Math.min(jobs, (int) Math.ceil(share * jobs))) {
                create(created++);
            }
            if (now >= nextPoll) {
                poll();
                nextPoll = now + 2000;
            }
            if (now >= nextAction) {
                chaos();
                nextAction = now + 500 + random.nextInt(1000);
            }
            resumeDue(now);
            Thread.sleep(100);
        }
        while (created < jobs) {
            create(created++);
        }
        count("created", created);
        long drainEnd = System.currentTimeMillis() + drainMillis;
        suspended.replaceAll((id, t) -> 0L);
        while (System.currentTimeMillis() < drainEnd) {
            resumeDue(Long.MAX_VALUE);
            poll();
            if (live.values().stream().allMatch("error"::equals) && suspended.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        poll();
        count("unfinished", live.size() - latest.stream().filter(j -> j.state() == JobState.ERROR).count());
        expect.close();
        jobsOut.close();
        StringBuilder line = new StringBuilder();
        counts.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        System.out.println(line.toString().strip());
        client.close();
    }

    private void count(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    /** Calls the service; waits for a restarting service (at most 3 min); null when the service refused. */
    private <T> T call(Supplier<T> request) {
        long until = System.currentTimeMillis() + 180_000;
        while (true) {
            try {
                return request.get();
            } catch (JbitsException e) {
                count("refused", 1);
                return null;
            } catch (UncheckedIOException | IllegalStateException e) {
                if (System.currentTimeMillis() > until) {
                    throw e;
                }
                count("retried", 1);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void create(int index) {
        int dice = random.nextInt(100);
        String kind = dice < 80 ? "dl" : dice < 86 ? "smb" : dice < 94 ? "up" : dice < 99 ? "reply" : "doomed";
        JobType type = switch (kind) {
            case "up" -> JobType.UPLOAD;
            case "reply" -> JobType.UPLOAD_REPLY;
            default -> JobType.DOWNLOAD;
        };
        Priority priority = List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW).get(random.nextInt(3));
        JobInfo job = call(() -> client.create(new NewJob("soak-" + index, type, priority, "")));
        if (job == null) {
            return;
        }
        String id = job.id();
        Path dir = downloads.resolve(Integer.toString(index));
        switch (kind) {
            case "dl", "smb" -> {
                List<String[]> pool = kind.equals("dl") ? www : smb;
                int files = 1 + random.nextInt(kind.equals("dl") ? 3 : 2);
                List<Integer> picks = new ArrayList<>();
                while (picks.size() < files) {
                    int p = random.nextInt(pool.size());
                    if (!picks.contains(p)) {
                        picks.add(p);
                    }
                }
                for (int p : picks) {
                    String[] f = pool.get(p);
                    String url = (kind.equals("dl") ? nginx : smbBase) + f[1];
                    call(() -> client.addFile(id, url, dir.resolve(f[1]).toString()));
                    expect.printf("%s\t%s\t%s%n", id, dir.resolve(f[1]), f[2]);
                }
            }
            case "up", "reply" -> {
                String[] f = up.get(random.nextInt(up.size()));
                String name = index + "-" + Path.of(f[1]).getFileName();
                String url = serve + (kind.equals("up") ? "up/" : "reply/") + name;
                call(() -> client.addFile(id, url, f[1]));
                expect.printf("%s\t%s\t%s%n", id, (kind.equals("up") ? upDir : replyDir).resolve(name), f[2]);
            }
            default -> call(() -> client.addFile(id, nginx + "missing/" + index, dir.resolve("missing").toString()));
        }
        expect.flush();
        jobsOut.printf("%d\t%s\t%s%n", index, id, kind);
        jobsOut.flush();
        live.put(id, kind);
        call(() -> client.resume(id));
    }

    /** Reads every job's state; completes the TRANSFERRED ones (checking an upload-reply's reply first). */
    private void poll() {
        List<JobInfo> all = call(() -> client.jobSummaries(false));
        if (all == null) {
            return;
        }
        latest = all;
        Map<String, JobInfo> byId = new HashMap<>();
        all.forEach(j -> byId.put(j.id(), j));
        for (String id : List.copyOf(live.keySet())) {
            JobInfo j = byId.get(id);
            if (j == null) {
                live.remove(id); // final: cancelled or completed, here or before a lost answer
                suspended.remove(id);
                continue;
            }
            if (j.state() == JobState.ERROR) {
                live.put(id, "error");
            } else if (j.state() == JobState.TRANSFERRED) {
                if (live.get(id).equals("reply")) {
                    byte[] reply = call(() -> client.replyData(id));
                    count(reply != null && new String(reply, StandardCharsets.UTF_8).equals(REPLY)
                            ? "reply_ok" : "reply_bad", 1);
                }
                if (call(() -> client.complete(id)) != null) {
                    count("completed", 1);
                    live.remove(id);
                    suspended.remove(id);
                }
            }
        }
    }

    /** One random action on a random job that is neither done nor in ERROR. */
    private void chaos() {
        List<JobInfo> candidates = latest.stream().filter(j -> live.containsKey(j.id())
                && j.state() != JobState.ERROR && j.state() != JobState.TRANSFERRED).toList();
        if (candidates.isEmpty()) {
            return;
        }
        JobInfo j = candidates.get(random.nextInt(candidates.size()));
        String id = j.id();
        int dice = random.nextInt(100);
        if (dice < 35) {
            if (!suspended.containsKey(id) && call(() -> client.suspend(id)) != null) {
                suspended.put(id, System.currentTimeMillis() + 5_000 + random.nextInt(25_000));
                count("suspends", 1);
            }
        } else if (dice < 70) {
            Priority p = List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW).get(random.nextInt(3));
            if (call(() -> client.change(id, JobChanges.none().withPriority(p))) != null) {
                count("priority_changes", 1);
            }
        } else if (dice < 92) {
            if (live.get(id).equals("dl")) {
                JobInfo full = call(() -> client.job(id));
                if (full != null && !full.files().isEmpty()) {
                    int index = random.nextInt(full.files().size());
                    String url = full.files().get(index).remoteUrl();
                    String moved = url.contains("/alt/") ? url.replace("/alt/", "/") : nginx + "alt/"
                            + url.substring(nginx.length());
                    if (call(() -> client.setRemoteUrl(id, index, moved)) != null) {
                        count("set_remotes", 1);
                    }
                }
            }
        } else if (dice < 97) {
            if (call(() -> client.cancel(id)) != null) {
                count("cancels", 1);
                live.remove(id);
                suspended.remove(id);
            }
        }
    }

    private void resumeDue(long now) {
        for (Map.Entry<String, Long> e : List.copyOf(suspended.entrySet())) {
            if (e.getValue() <= now) {
                suspended.remove(e.getKey());
                if (call(() -> client.resume(e.getKey())) != null) {
                    count("resumes", 1);
                }
            }
        }
    }
}
