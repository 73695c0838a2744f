package io.jbits.core;

import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Transport;
import io.jbits.spi.Validator;
import io.jbits.api.JobError;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport over entities held in memory, with HTTP's range and If-Range rules, for the engine's unit tests.
 * Each URL can be given a failure for its next requests, and a pause after some bytes so tests can act mid-body.
 */
final class ScriptedTransport implements Transport {
    record Entity(byte[] bytes, String etag) {
    }

    final Map<String, Entity> entities = new ConcurrentHashMap<>();
    final Map<String, List<Object>> failures = new ConcurrentHashMap<>();
    final List<RemoteRequest> requests = new CopyOnWriteArrayList<>();
    volatile boolean ignoreRanges;
    /** Per read, the most bytes handed out; small values make transfers slow enough to interrupt. */
    volatile int chunkBytes = 1 << 20;
    volatile long readDelayMillis;
    /** URL → the final URL a redirect led to, reported to the engine as with redirects "report". */
    final Map<String, String> reportedMoves = new ConcurrentHashMap<>();

    void put(String url, byte[] bytes, String etag) {
        entities.put(url, new Entity(bytes, etag));
    }

    /** The next request for {@code url} fails with this (a JobError as TransferFailure, or an IOException). */
    void failNext(String url, Object failure) {
        failures.computeIfAbsent(url, k -> new CopyOnWriteArrayList<>()).add(failure);
    }

    @Override
    public boolean handles(URI remote) {
        return "mem".equals(remote.getScheme());
    }

    @Override
    public RemoteBody open(RemoteRequest r) throws IOException, TransferFailure {
        requests.add(r);
        String url = r.remote().toString();
        List<Object> f = failures.get(url);
        if (f != null && !f.isEmpty()) {
            Object next = f.remove(0);
            if (next instanceof JobError e) {
                throw new TransferFailure(e);
            }
            throw (IOException) next;
        }
        Entity e = entities.get(url);
        if (e == null) {
            throw new TransferFailure(JobError.http(404, "HTTP 404 Not Found for " + url, null));
        }
        boolean sameVersion = r.known().etag() == null || r.known().etag().equals(e.etag());
        long start = r.offset() > 0 && sameVersion && !ignoreRanges ? r.offset() : 0;
        if (start > e.bytes().length) {
            throw new TransferFailure(JobError.http(416, "range not satisfiable", null));
        }
        Validator v = new Validator(e.etag(), null, e.bytes().length);
        return new RemoteBody() {
            long pos = start;
            volatile boolean closed;

            @Override
            public long offset() {
                return start;
            }

            @Override
            public Validator validator() {
                return v;
            }

            @Override
            public URI finalUri() {
                String moved = reportedMoves.get(url);
                return moved == null ? r.remote() : URI.create(moved);
            }

            @Override
            public boolean reportFinalUri() {
                return reportedMoves.containsKey(url);
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (closed) {
                    throw new IOException("closed");
                }
                if (readDelayMillis > 0) {
                    try {
                        Thread.sleep(readDelayMillis);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                if (pos >= e.bytes().length) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(dst.remaining(), chunkBytes), e.bytes().length - pos);
                dst.put(e.bytes(), (int) pos, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}
