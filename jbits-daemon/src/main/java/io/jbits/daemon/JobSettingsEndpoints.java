package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;
import static io.jbits.daemon.JsonBody.required;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The routes of a job's transfer settings: credentials, proxy, custom headers, redirects and TLS.
 *
 * <p>A secret travels only in the body of {@code PUT /v1/jobs/{id}/credentials}, never in a path or a query, which
 * may be logged; removing credentials names only their target and scheme.
 */
final class JobSettingsEndpoints {
    private final TransferManager jobs;

    JobSettingsEndpoints(TransferManager jobs) {
        this.jobs = jobs;
    }

    Map<Route, Endpoint> endpoints() {
        Map<Route, Endpoint> e = new EnumMap<>(Route.class);
        e.put(Route.JOB_SET_CREDENTIALS, this::setCredentials);
        e.put(Route.JOB_REMOVE_CREDENTIALS, x -> ok(jobs.removeCredentials(x.jobId(),
                AuthTarget.parse(x.param("target")), AuthScheme.parse(x.param("scheme")))));
        e.put(Route.JOB_PROXY, x -> {
            Json.Proxy p = x.body(Json.Proxy.class);
            return ok(jobs.setProxy(x.jobId(), ProxyUsage.parse(required(p.usage(), "usage")), p.proxies(),
                    p.bypass()));
        });
        e.put(Route.JOB_HEADERS, x -> ok(jobs.setHttpHeaders(x.jobId(),
                required(x.body(Json.Headers.class).headers(), "headers"))));
        e.put(Route.JOB_REDIRECTS, x -> {
            Json.Redirects r = x.body(Json.Redirects.class);
            return ok(jobs.setRedirects(x.jobId(), Redirects.parse(required(r.policy(), "policy")),
                    Boolean.TRUE.equals(r.allowHttpsToHttp())));
        });
        e.put(Route.JOB_TLS, x -> ok(jobs.setTls(x.jobId(), x.body(TlsOptions.class))));
        return e;
    }

    private Answer setCredentials(Exchange x) throws IOException {
        Json.SetCredentials body = x.body(Json.SetCredentials.class);
        Credentials c = new Credentials(AuthTarget.parse(required(body.target(), "target")),
                AuthScheme.parse(required(body.scheme(), "scheme")), required(body.user(), "user"),
                required(body.secret(), "secret"));
        try {
            return ok(jobs.setCredentials(x.jobId(), c));
        } finally {
            c.wipe();
        }
    }
}
