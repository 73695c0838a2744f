package io.jbits.daemon;

import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Ticker;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The service's scavenger: a {@link LedbatGovernor} fed by probes of the real network.
 *
 * <ul>
 *   <li>Round trips: a thread times a TCP connect to the host and port of the background jobs' remote every
 *       {@link #PROBE_INTERVAL}. The SYN-ACK travels the download direction and waits in the same queue as the
 *       jobs' data, so the connect time rises with the queue a bottleneck holds; ICMP would need privileges. Each
 *       probe connection is closed with a reset (SO_LINGER 0) so that ten a second leave no TIME_WAIT sockets.</li>
 *   <li>Competing traffic: the byte counters of the interface that routes to the remote ({@link LinkCounters}),
 *       read on each engine update, with the bytes waiting unread on our connections to the remote (they crossed
 *       the interface as ours, before the jobs read them).</li>
 * </ul>
 * One remote is probed (the first of the background jobs' remotes in order; by default one background job runs at
 * a time). Remotes on a loopback address are not governed: there is no shared link to yield on, and round trips
 * there measure only the CPU.
 */
final class ScavengingGovernor implements BackgroundGovernor {
    private static final System.Logger LOG = System.getLogger(ScavengingGovernor.class.getName());
    static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    /** Where to probe: a remote's host and port. */
    record Target(String host, int port) {
        static Optional<Target> of(URI uri) {
            String host = uri.getHost();
            if (host == null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            if (port < 0) {
                port = switch (String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) {
                    case "https" -> 443;
                    case "smb" -> 445;
                    default -> 80;
                };
            }
            return Optional.of(new Target(host.toLowerCase(Locale.ROOT), port));
        }
    }

    /** A target as the probe resolved it: its address, whether it is loopback, and the interface routing to it. */
    private record Resolved(Target target, InetSocketAddress address, boolean loopback, String iface) {
    }

    private final LedbatGovernor ledbat;
    private final LinkCounters counters;
    private final Ticker ticker;
    private final Thread prober;
    private volatile Target wanted;
    private volatile Resolved resolved;
    private volatile boolean closed;
    /** Whether the latest update went to LEDBAT (false: the remote is on loopback). */
    private volatile boolean governing = true;
    private String lastKind = "";

    private ScavengingGovernor(LedbatGovernor ledbat, LinkCounters counters, Ticker ticker) {
        this.ledbat = ledbat;
        this.counters = counters;
        this.ticker = ticker;
        // A virtual thread: it mostly waits, and an idle service keeps no platform thread for it.
        this.prober = Thread.ofVirtual().name("jbits-link-probe").unstarted(this::probeLoop);
    }

    /** The environment variable that turns scavenging off ({@code off}) or on ({@code on}, the default). */
    static final String SWITCH = "JBITS_SCAVENGE";

    /** Whether the service's environment leaves scavenging on; a value other than on/off is refused with its name. */
    static boolean enabledBy(Map<String, String> env) {
        String text = env.getOrDefault(SWITCH, "").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "", "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(SWITCH + "=" + env.get(SWITCH) + " is neither on nor off");
        };
    }

    /** Starts the probe thread (idle until background jobs move bytes). */
    static ScavengingGovernor start(LedbatGovernor.Settings settings, LinkCounters counters, Ticker ticker) {
        ScavengingGovernor g = new ScavengingGovernor(new LedbatGovernor(settings, ticker.nanos()), counters, ticker);
        g.prober.start();
        return g;
    }

    @Override
    public Decision update(long nowNanos, long backgroundBytes, long foregroundBytes, Set<URI> backgroundRemotes) {
        Optional<Target> target = backgroundRemotes.stream().sorted(Comparator.comparing(URI::toString))
                .map(Target::of).flatMap(Optional::stream).findFirst();
        Target was = wanted;
        wanted = target.orElse(null);
        if (was == null && wanted != null) {
            LockSupport.unpark(prober); // it sleeps for good while no background job moves bytes
        }
        Resolved r = resolved;
        boolean resolving = target.isPresent() && (r == null || !r.target().equals(target.get()));
        boolean loopback = target.isPresent()
                && (resolving ? isLoopbackLiteral(target.get().host()) : r.loopback());
        governing = !loopback;
        if (loopback) {
            return Decision.UNLIMITED;   // nothing to yield on
        }
        if (resolving) {
            return ledbat.update(nowNanos, backgroundBytes, foregroundBytes, backgroundRemotes);   // no counters yet
        }
        if (r != null && r.iface() != null) {
            /*
             * Our unread bytes only while background jobs to the remote run: with none, no connection of theirs
             * holds any. Idle, the tick reads the interface's counters alone; the TCP tables cost the kernel a walk
             * of its whole connection hash for each read (2 ms each on a 2-core VM with 24 GB: an idle service
             * spent 9% of a core on them, ten times a second).
             */
            boolean ours = target.isPresent();
            counters.read(r.iface()).ifPresent(b -> ledbat.linkCounters(b.rx(), b.tx(),
                    ours ? counters.unreadBytes(r.address()) : 0));
        }
        Decision d = ledbat.update(nowNanos, backgroundBytes, foregroundBytes, backgroundRemotes);
        logChange(d);
        return d;
    }

    /**
     * Yes, for now. Without updates while no job runs, a background job that starts in a service that had not
     * ticked since its last job added 80-160 ms of queue on the shaped link in 4 of 9 runs of
     * {@code ScavengingTest}'s delay test, against 34-39 ms in 10 of 10 with them (a third of a greedy download's
     * 200 ms is the bound). {@code Pacing.freshen} cured the first connection's oversized receive buffer, which was
     * one cause; this one is not found yet. The price is one platform thread that ticks for the service's life
     * (the engine gives such a loop its own, so the virtual-thread scheduler's carriers still go when idle).
     */
    @Override
    public boolean learnsWhileIdle() {
        return true;
    }

    /** The LEDBAT view of the link; empty while the background jobs' remote is on loopback (nothing governed). */
    @Override
    public Optional<Status> status() {
        return governing ? ledbat.status() : Optional.empty();
    }

    /** Logs (debug) when what sets the rate changes kind ("competing traffic", "slow start", …), not every time. */
    private void logChange(Decision d) {
        String kind = d.reason() == null ? "" : d.reason().replaceAll("[0-9.]+", "#");
        if (!kind.equals(lastKind)) {
            lastKind = kind;
            LOG.log(Level.DEBUG, "scavenging: {0} -> {1,number,#} B/s", d.reason(), d.bytesPerSecond());
        }
    }

    /** Loopback by its name alone, before the probe resolved it: no burst at full speed meanwhile. */
    private static boolean isLoopbackLiteral(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private void probeLoop() {
        while (!closed) {
            long start = ticker.nanos();
            Target target = wanted;
            if (target == null) {
                /* No wake-ups while nothing is probed: update() unparks this thread when a target appears. */
                LockSupport.park(this);
                continue;
            }
            Resolved r = resolved;
            if (r == null || !r.target().equals(target)) {
                r = resolve(target);
                if (r == null) {
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    continue;
                }
                ledbat.remoteChanged();
                resolved = r;
            }
            if (!r.loopback()) {
                probe(r.address());
            }
            LockSupport.parkNanos(Math.max(0, PROBE_INTERVAL.toNanos() - (ticker.nanos() - start)));
        }
    }

    private Resolved resolve(Target target) {
        try {
            InetAddress address = InetAddress.getByName(target.host());
            String iface = counters.interfaceFor(address).orElse(null);
            LOG.log(Level.INFO, "scavenging: probing {0}:{1,number,#} ({2}), interface {3}", target.host(),
                    target.port(), address.getHostAddress(), iface == null ? "unknown (round trips only)" : iface);
            return new Resolved(target, new InetSocketAddress(address, target.port()), address.isLoopbackAddress(),
                    iface);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "scavenging: cannot resolve {0}: {1}", target.host(), e.toString());
            return null;
        }
    }

    /** One round trip: the time a TCP connect takes; nothing when it fails (a refused probe says nothing). */
    private void probe(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            long t0 = ticker.nanos();
            socket.connect(address, CONNECT_TIMEOUT_MS);
            long t1 = ticker.nanos();
            ledbat.roundTrip(t1, Duration.ofNanos(t1 - t0));
        } catch (IOException e) {
            LOG.log(Level.TRACE, "scavenging: probe of {0} failed: {1}", address, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(prober);
        try {
            prober.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
