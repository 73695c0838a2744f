package io.jbits.daemon;

import io.jbits.rest.Route;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * Finds the endpoint of a request: the shared {@link Route} table's templates as Jetty {@link UriTemplatePathSpec}s,
 * each with the endpoints of its methods.
 *
 * <p>Paths are matched with their empty segments dropped ({@code /v1/jobs/} is {@code /v1/jobs}), as the API has
 * always read them.
 */
final class ApiRoutes {
    /** A request's route, its endpoint, and the values of the route's path variables. */
    record Match(Route route, Endpoint endpoint, Map<String, String> params) {
    }

    private record Served(Route route, Endpoint endpoint) {
    }

    private final PathMappings<Map<String, Served>> mappings = new PathMappings<>();
    private final Set<Route> served;

    ApiRoutes(Map<Route, Endpoint> endpoints) {
        Map<String, Map<String, Served>> byTemplate = new LinkedHashMap<>();
        endpoints.forEach((route, endpoint) -> byTemplate.computeIfAbsent(route.template(), t -> new HashMap<>())
                .put(route.method(), new Served(route, endpoint)));
        byTemplate.forEach((template, methods) -> mappings.put(new UriTemplatePathSpec(template), Map.copyOf(methods)));
        this.served = Set.copyOf(endpoints.keySet());
    }

    /** The routes that have an endpoint. */
    Set<Route> served() {
        return served;
    }

    /**
     * The route of a method and a (decoded) path.
     *
     * @throws Refusal 404 when no route has them
     */
    Match match(String method, String path) {
        String normalized = "/" + path.replaceAll("^/+|/+$", "").replaceAll("/+", "/");
        MatchedResource<Map<String, Served>> matched = mappings.getMatched(normalized);
        Served s = matched == null ? null : matched.getResource().get(method);
        if (s == null) {
            throw Refusal.noRoute(method, path);
        }
        Map<String, String> params = ((UriTemplatePathSpec) matched.getPathSpec()).getPathParams(normalized);
        return new Match(s.route(), s.endpoint(), params == null ? Map.of() : params);
    }
}
