package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.junit.jupiter.api.Test;

/** A context carries one job's authentication state from request to request, and serves one request at a time. */
class JobRequestsTest {
    private static final URI SERVER = URI.create("http://127.0.0.1:8080/up/f.bin");

    private final JobRequests requests = new JobRequests(HttpTransportConfig.defaults());

    private JobRequests.Lease lease(String owner, String options) throws Exception {
        return requests.prepare(new HttpPost(SERVER), SERVER, owner, options);
    }

    @Test
    void aContextGivenBackServesTheNextRequestUnderItsKey() throws Exception {
        JobRequests.Lease first = lease("alice", "{}");
        requests.release(first);
        JobRequests.Lease second = lease("alice", "{}");
        assertSame(first.context(), second.context(), "the next packet keeps the authentication state");
    }

    @Test
    void twoRequestsAtOnceNeverShareAContext() throws Exception {
        JobRequests.Lease one = lease("alice", "{}");
        JobRequests.Lease two = lease("alice", "{}");
        assertNotSame(one.context(), two.context(), "HttpClient's contexts are not safe for two requests at once");
        requests.release(one);
        requests.release(two);
        JobRequests.Lease three = lease("alice", "{}");
        JobRequests.Lease four = lease("alice", "{}");
        assertNotSame(three.context(), four.context());
    }

    @Test
    void ownersAndOptionsNeverShareAContext() throws Exception {
        JobRequests.Lease alice = lease("alice", "{}");
        requests.release(alice);
        JobRequests.Lease bob = lease("bob", "{}");
        assertNotSame(alice.context(), bob.context());
        assertNotEquals(alice.context().getUserToken(), bob.context().getUserToken(),
                "their connections are never shared either");
        requests.release(bob);
        JobRequests.Lease withHeaders = lease("alice", "{\"http.headers\":\"X-Tenant: blue\"}");
        assertNotSame(alice.context(), withHeaders.context());
    }
}
