package io.jbits.server.upload;

import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers BITS upload packets on a server that takes no uploads: 501 with {@code E_ACCESSDENIED} ("BITS uploads
 * not enabled for this vdir", reference bits.md §8.4), Ping with 200. Other requests pass.
 */
final class UploadsDisabledHandler extends Handler.Abstract.NonBlocking {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!BitsUploadHandler.isBitsPost(request)) {
            return false;
        }
        String type = request.getHeaders().get(Ack.PACKET_TYPE);
        if (type != null && type.strip().toLowerCase(Locale.ROOT).equals("ping")) {
            Ack.ok().send(response, callback);
        } else {
            Ack.error(new UploadError(501, Hresult.E_ACCESSDENIED, Hresult.CONTEXT_REMOTE_FILE,
                    "uploads are not enabled on this server"), null).send(response, callback);
        }
        return true;
    }
}
