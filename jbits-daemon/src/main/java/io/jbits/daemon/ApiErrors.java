package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals, made before the API sees a request (a request line, head, URI or body Jetty cannot take:
 * 400, 413, 414, 426, 431, 501, 505), answered with the API's error body ({@code code}, {@code symbol},
 * {@code message}) instead of Jetty's HTML page, for every method: a client of the API reads every refusal the same
 * way. A 5xx other than 500 is a protocol the API does not speak (E_NOTIMPL), a 500 a failure (E_FAIL), anything
 * else a request it cannot use (E_INVALIDARG).
 */
final class ApiErrors extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        String why = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        Answer answer;
        if (status == HttpStatus.INTERNAL_SERVER_ERROR_500) {
            answer = Answer.error(status, BitsCodes.E_FAIL, why);
        } else if (status > 500) {
            answer = Answer.error(status, BitsCodes.E_NOTIMPL, "not supported: " + why);
        } else {
            answer = Answer.error(status, BitsCodes.E_INVALIDARG, "bad request: " + why);
        }
        AnswerWriter.write(response, answer, callback);
    }
}
