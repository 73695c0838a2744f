package io.jbits.transport.http.upload;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Records every BITS packet a server receives and passes it on; one log may serve several server instances. */
final class PacketLog {

    /** One packet as the server saw it. */
    record Packet(String type, String host, String contentRange, long contentLength, String connectionId) {
        long firstByte() {
            return Long.parseLong(contentRange.substring("bytes ".length(), contentRange.indexOf('-')));
        }
    }

    private final List<Packet> packets = new CopyOnWriteArrayList<>();

    /** A handler to put in front of the upload handler. */
    Handler handler() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String type = request.getHeaders().get("BITS-Packet-Type");
                if (type != null) {
                    packets.add(new Packet(type.toLowerCase(Locale.ROOT), Request.getServerName(request),
                            request.getHeaders().get("Content-Range"),
                            request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH),
                            request.getConnectionMetaData().getId()));
                }
                return false;
            }
        };
    }

    List<Packet> all() {
        return List.copyOf(packets);
    }

    List<Packet> ofType(String type) {
        return packets.stream().filter(p -> p.type().equalsIgnoreCase(type)).toList();
    }

    /** The body bytes of every Fragment from packet {@code from} on. */
    long fragmentBytesFrom(int from) {
        List<Packet> all = all();
        return all.subList(from, all.size()).stream().filter(p -> p.type().equals("fragment"))
                .mapToLong(Packet::contentLength).sum();
    }

    int size() {
        return packets.size();
    }
}
