package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;

import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.util.Map;

/** The routes of the bandwidth policy: shown, and changed by PATCH or PUT alike (null fields stay). */
final class PolicyEndpoints {
    private final ApiConfig.Policies policies;

    PolicyEndpoints(ApiConfig.Policies policies) {
        this.policies = policies;
    }

    Map<Route, Endpoint> endpoints() {
        Endpoint change = x -> ok(policies.change(x.body(Json.PolicyChange.class)));
        return Map.of(
                Route.POLICY_SHOW, x -> ok(policies.show()),
                Route.POLICY_CHANGE, change,
                Route.POLICY_PUT, change);
    }
}
