package io.jbits.daemon;

import java.io.IOException;

/** What the REST API does for one route: it reads the exchange and gives the answer to write. */
@FunctionalInterface
interface Endpoint {
    /**
     * The answer, or {@link Answer#STREAMED} when the endpoint has written the response itself.
     *
     * @throws io.jbits.api.JbitsException for refusals of the jobs (their code sets the status)
     * @throws IllegalArgumentException for bad values (400)
     */
    Answer answer(Exchange exchange) throws IOException;
}
