package io.jbits.core;

import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.spi.UploadTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upload server in memory for the engine's unit tests: sessions keyed by id in the opaque state, bytes kept
 * per URL, a reply URL for upload-reply. The real protocol is tested against jbits serve in its own module.
 */
final class ScriptedUploads implements UploadTransport {
    final Map<String, byte[]> received = new ConcurrentHashMap<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final Map<String, Long> sessionOffsets = new ConcurrentHashMap<>();
    volatile int fragmentBytes = 1 << 20;
    volatile long fragmentDelayMillis;
    volatile String replyUrl;
    private int sessions;

    @Override
    public boolean handlesUpload(URI remote) {
        return "up".equals(remote.getScheme());
    }

    @Override
    public UploadOutcome upload(UploadRequest r, UploadProgress progress) throws IOException, TransferFailure {
        String session = r.sessionState();
        if ("{}".equals(session) || !sessionOffsets.containsKey(session)) {
            synchronized (this) {
                session = "s" + (++sessions);
            }
            sessionOffsets.put(session, 0L);
            progress.sessionChanged(session);
        }
        byte[] all = Files.readAllBytes(r.localFile());
        long offset = sessionOffsets.get(session);
        while (offset < r.fileSize()) {
            if (progress.stopRequested()) {
                return new UploadOutcome(false, null, session);
            }
            if (fragmentDelayMillis > 0) {
                try {
                    Thread.sleep(fragmentDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            long end = Math.min(r.fileSize(), offset + fragmentBytes);
            for (long sent = offset; sent < end; ) { // the fragment's body, paced as a real client sends it
                int n = progress.pace((int) Math.min(64 * 1024, end - sent));
                if (n <= 0) {
                    return new UploadOutcome(false, null, session);
                }
                sent += n;
            }
            offset = end;
            sessionOffsets.put(session, offset);
            progress.acknowledged(offset);
        }
        received.put(r.remote().toString(), java.util.Arrays.copyOf(all, (int) r.fileSize()));
        if (!r.wantReply()) {
            closed.add(session);
        }
        return new UploadOutcome(true, r.wantReply() ? URI.create(replyUrl) : null, session);
    }

    @Override
    public void closeSession(UploadRequest r) {
        closed.add(r.sessionState());
    }

    @Override
    public void cancelSession(UploadRequest r) {
        cancelled.add(r.sessionState());
    }
}
