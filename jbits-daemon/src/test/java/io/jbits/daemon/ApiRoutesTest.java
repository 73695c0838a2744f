package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {
    private static final ApiConfig.Policies POLICIES = new ApiConfig.Policies() {
        @Override
        public Json.Policy show() {
            return null;
        }

        @Override
        public Json.Policy change(Json.PolicyChange change) {
            return null;
        }
    };

    private static ApiRoutes routes(ApiConfig.Policies policies) {
        ApiHandler handler = new ApiHandler(new ApiConfig(new MemoryJobs("me"), Path.of("/tmp/unused.sock"), "me",
                Path.of("/tmp"), () -> { }, policies));
        try {
            return handler.routes();
        } finally {
            handler.close();
        }
    }

    @Test
    void everyRouteOfTheSharedTableIsServed() {
        assertEquals(EnumSet.allOf(Route.class), EnumSet.copyOf(routes(POLICIES).served()));
    }

    @Test
    void thePolicyIsServedOnlyWhenThereIsOne() {
        ApiRoutes routes = routes(null);
        for (Route r : Route.values()) {
            assertEquals(!r.name().startsWith("POLICY_"), routes.served().contains(r), r.name());
        }
        Refusal e = assertThrows(Refusal.class, () -> routes.match("GET", "/v1/policy"));
        assertEquals(404, e.status());
    }

    @Test
    void aPathMatchesItsRouteWithItsVariables() {
        ApiRoutes routes = routes(POLICIES);
        ApiRoutes.Match m = routes.match("PUT", "/v1/jobs/ab 12/files/3/remote-url/");
        assertEquals(Route.FILE_REMOTE_URL, m.route());
        assertEquals(Map.of("id", "ab 12", "index", "3"), m.params());
        assertEquals(Route.JOB_REMOVE_CREDENTIALS, routes.match("DELETE", "/v1/jobs/j/credentials/proxy/basic")
                .route());
        assertEquals(Route.JOBS_LIST, routes.match("GET", "/v1/jobs/").route());
        assertEquals(Map.of(), routes.match("GET", "/v1/jobs").params());
    }

    @Test
    void anUnknownMethodOrPathIsA404NamingBoth() {
        ApiRoutes routes = routes(POLICIES);
        for (String[] call : new String[][] {{"DELETE", "/v1/jobs"}, {"GET", "/v1/jobs/j/resume"},
                {"POST", "/v1/jobs/j/bogus"}, {"GET", "/v2/jobs"}, {"GET", "/"}, {"HEAD", "/v1/service"}}) {
            Refusal e = assertThrows(Refusal.class, () -> routes.match(call[0], call[1]));
            assertEquals(404, e.status());
            assertEquals("no endpoint " + call[0] + " " + call[1], e.getMessage());
        }
        assertFalse(routes.served().isEmpty());
    }
}
