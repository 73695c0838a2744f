package io.jbits.daemon;

import io.jbits.rest.ApiParameters;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One call of an endpoint: the request, where its answer goes, and the values of its route's path variables.
 *
 * @param params the path variables by name ({@code id}, {@code index}, …), as decoded from the path
 */
record Exchange(Request request, Response response, Callback callback, Map<String, String> params) {
    /** The value of a path variable of the route. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no variable '" + name + "'");
        }
        return value;
    }

    /** The job the path names: its {@code id} variable. */
    String jobId() {
        return param("id");
    }

    /** The JSON body as a value of {@code type} (see {@link JsonBody#read}). */
    <T> T body(Class<T> type) throws IOException {
        return JsonBody.read(request, type);
    }

    /** The query parameters. */
    Fields query() {
        return Request.extractQueryParameters(request);
    }

    /**
     * True when the query asks for jobs without their files ({@code files=false}): the answer's jobs then carry
     * only their file counts. A request without a query is not parsed at all.
     */
    boolean filesLeftOut() {
        return request.getHttpURI().getQuery() != null
                && "false".equalsIgnoreCase(query().getValue(ApiParameters.FILES));
    }
}
