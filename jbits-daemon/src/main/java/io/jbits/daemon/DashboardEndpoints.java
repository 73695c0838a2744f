package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;

import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.util.Map;

/** The route that starts the web dashboard ({@link DashboardServer}) and tells the owner where it is. */
final class DashboardEndpoints {
    private final DashboardServer dashboard;

    DashboardEndpoints(DashboardServer dashboard) {
        this.dashboard = dashboard;
    }

    Map<Route, Endpoint> endpoints() {
        return Map.of(Route.DASHBOARD, x -> {
            Integer port = x.body(Json.DashboardStart.class).port();
            if (port != null && (port < 0 || port > 65_535)) {
                throw Refusal.badRequest("a port is 1 to 65535 (or 0 for any free one), not " + port);
            }
            return ok(dashboard.start(port == null ? 0 : port));
        });
    }
}
