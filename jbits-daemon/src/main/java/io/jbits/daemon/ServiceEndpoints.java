package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;

import io.jbits.rest.JbitsVersion;
import io.jbits.rest.Route;
import io.jbits.rest.ServiceStatus;
import java.util.Map;

/** The service's own routes: its status, and the request to stop (which {@link ApiHandler} carries out). */
final class ServiceEndpoints {
    private final ApiConfig config;

    ServiceEndpoints(ApiConfig config) {
        this.config = config;
    }

    Map<Route, Endpoint> endpoints() {
        return Map.of(
                Route.SERVICE_STATUS, x -> ok(new ServiceStatus(JbitsVersion.current(), ProcessHandle.current().pid(),
                        config.owner(), config.home().toString(), config.manager().jobCount(false))),
                Route.SERVICE_STOP, x -> ok(Map.of("stopping", true)));
    }
}
