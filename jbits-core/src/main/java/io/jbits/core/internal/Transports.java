package io.jbits.core.internal;

import io.jbits.spi.Transport;
import io.jbits.spi.UploadTransport;
import java.net.URI;
import java.util.List;

/**
 * The engine's transports, each family in order of preference: which one moves the bytes of a URL, and whether a
 * URL the owner gives can be moved at all. Immutable; safe from any thread.
 *
 * @param downloads the transports that download; the first that {@link Transport#handles} a URL gets it
 * @param uploads the transports that upload; the first that {@link UploadTransport#handlesUpload} a URL gets it
 */
record Transports(List<Transport> downloads, List<UploadTransport> uploads) {
    Transports {
        downloads = List.copyOf(downloads);
        uploads = List.copyOf(uploads);
    }

    /** The download transport for a remote URL, or null when none handles it. */
    Transport download(URI remote) {
        for (Transport t : downloads) {
            if (t.handles(remote)) {
                return t;
            }
        }
        return null;
    }

    /** The upload transport for a remote URL, or null when none handles it. */
    UploadTransport upload(URI remote) {
        for (UploadTransport t : uploads) {
            if (t.handlesUpload(remote)) {
                return t;
            }
        }
        return null;
    }

    /** The owner's URL, checked ({@link Inputs#url}) and refused when no transport of the family handles it. */
    URI check(String remoteUrl, boolean upload) {
        return Inputs.url(remoteUrl, upload, upload ? u -> upload(u) != null : u -> download(u) != null);
    }
}
