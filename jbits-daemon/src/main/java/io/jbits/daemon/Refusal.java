package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;

/** A refusal of the REST API that is not a {@link JbitsException}: bad JSON, unknown route, body too large. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final int code;

    Refusal(int status, int code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** 400 with E_INVALIDARG: a request the API cannot use. */
    static Refusal badRequest(String message) {
        return new Refusal(400, BitsCodes.E_INVALIDARG, message);
    }

    /** 404 with E_NOTIMPL: no endpoint has this method and path. */
    static Refusal noRoute(String method, String path) {
        return new Refusal(404, BitsCodes.E_NOTIMPL, "no endpoint " + method + " " + path);
    }

    /** The HTTP status of the answer. */
    int status() {
        return status;
    }

    /** The BITS code of the error body. */
    int code() {
        return code;
    }
}
