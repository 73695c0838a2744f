package io.jbits.transport.http.upload;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Test handlers that answer some packets themselves, in front of the real upload handler. */
final class Acks {

    /** What a scripted handler answers to a packet it takes. */
    @FunctionalInterface
    interface Script {
        /** The status and header pairs of the Ack, or null to pass the packet on to the upload handler. */
        Answer answer(Request request);
    }

    record Answer(int status, String... headers) {
    }

    private Acks() {
    }

    /** A handler that answers the packets {@code script} takes (reading their bodies first) and passes the rest. */
    static Handler scripted(Script script) {
        return new Handler.Abstract(org.eclipse.jetty.util.thread.Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws IOException {
                if (request.getHeaders().get("BITS-Packet-Type") == null) {
                    return false;
                }
                Answer answer = script.answer(request);
                if (answer == null) {
                    return false;
                }
                Content.Source.consumeAll(request);
                response.setStatus(answer.status());
                response.getHeaders().put("BITS-Packet-Type", "Ack");
                for (int i = 0; i + 1 < answer.headers().length; i += 2) {
                    response.getHeaders().put(answer.headers()[i], answer.headers()[i + 1]);
                }
                response.getHeaders().put("Content-Length", "0");
                Content.Sink.write(response, true, "", callback);
                return true;
            }
        };
    }

    /** True for a packet of {@code type}, compared without regard to case. */
    static Predicate<Request> type(String type) {
        return request -> type.toLowerCase(Locale.ROOT)
                .equals(String.valueOf(request.getHeaders().get("BITS-Packet-Type")).toLowerCase(Locale.ROOT));
    }
}
