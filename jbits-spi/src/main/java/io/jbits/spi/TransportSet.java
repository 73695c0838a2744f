package io.jbits.spi;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one {@link TransportFactory} made: transports that download, and transports that upload. One object may be
 * in both lists (SMB reads and writes files). The engine closes both lists when it closes.
 */
public record TransportSet(List<Transport> downloads, List<UploadTransport> uploads) {
    public TransportSet {
        downloads = List.copyOf(downloads);
        uploads = List.copyOf(uploads);
    }

    /** Closes every transport once, keeping the first failure and closing the rest anyway. */
    public void closeAll() {
        Set<AutoCloseable> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(downloads);
        all.addAll(uploads);
        for (AutoCloseable t : all) {
            try {
                t.close();
            } catch (Exception e) {
                // a transport that fails to close has nothing more to give; the others still close
            }
        }
    }
}
