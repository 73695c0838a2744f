package io.jbits.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.jbits.api.BitsCodes;
import io.jbits.api.NewFile;
import io.jbits.rest.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Request;

/** Reads a request's JSON body: at most {@value #MAX_BYTES} bytes, refused with a clear message when unusable. */
final class JsonBody {
    /** The largest request body: larger ones are refused with 413, by their declared length when they have one. */
    static final int MAX_BYTES = 1024 * 1024;

    private JsonBody() {
    }

    /** The body as a value of {@code type}. */
    static <T> T read(Request request, Class<T> type) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BYTES) {
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            // the caller closed its side before the declared length (or broke the chunked framing)
            throw Refusal.badRequest("the request body ended early: " + e.getMessage());
        }
        if (body.length > MAX_BYTES) {
            throw tooLarge(body.length);
        }
        if (body.length == 0) {
            throw Refusal.badRequest("this request needs a JSON body");
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonMappingException e) {
            throw Refusal.badRequest("bad request body: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw Refusal.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** A field of a body that must be there. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw Refusal.badRequest("missing field '" + field + "'");
        }
        return value;
    }

    /** The files of a body (a file set, a new download), each with both fields; {@code what} names the body. */
    static List<NewFile> files(List<Json.AddFile> files, String what) {
        if (files == null || files.isEmpty()) {
            throw Refusal.badRequest(what + ": no files");
        }
        List<NewFile> checked = new ArrayList<>(files.size());
        for (Json.AddFile f : files) {
            required(f, "files[" + checked.size() + "]");
            checked.add(new NewFile(required(f.remoteUrl(), "remoteUrl"),
                    required(f.localPath(), "localPath")));
        }
        return checked;
    }

    private static Refusal tooLarge(long bytes) {
        return new Refusal(413, BitsCodes.BG_E_TOO_LARGE,
                "request body of " + bytes + " bytes is larger than the limit of " + MAX_BYTES + " bytes");
    }
}
