package io.jbits.spi;

import java.net.URI;

/**
 * How an upload ended.
 *
 * @param complete true when every byte is acknowledged; false when it stopped on request
 * @param replyUrl where the server application's reply can be fetched (upload-reply), or null
 * @param sessionState the session's final state, for {@link UploadTransport#closeSession}
 */
public record UploadOutcome(boolean complete, URI replyUrl, String sessionState) {
}
