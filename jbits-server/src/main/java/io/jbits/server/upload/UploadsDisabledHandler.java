package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.Headers;
import io.jbits.bup.Hresult;
import io.jbits.bup.PacketType;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers BITS upload packets on a server that takes no uploads: 501 with {@code E_ACCESSDENIED} ("BITS uploads
 * not enabled for this vdir", docs/bits.md §8.4), Ping with 200. Other requests pass.
 */
final class UploadsDisabledHandler extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!BitsUploadHandler.isBitsPost(request)) {
            return false;
        }
        if (PacketType.parse(request.getHeaders().get(Headers.PACKET_TYPE)) == PacketType.PING) {
            AckWriter.send(Ack.ok(), response, callback);
        } else {
            AckWriter.send(Ack.of(501).withError(Hresult.E_ACCESSDENIED, Hresult.CONTEXT_REMOTE_FILE), response,
                    callback);
        }
        return true;
    }
}
