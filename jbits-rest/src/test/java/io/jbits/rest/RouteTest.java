package io.jbits.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {
    @Test
    void everyMethodAndTemplateIsOneRoute() {
        Set<String> seen = new HashSet<>();
        for (Route r : Route.values()) {
            assertTrue(seen.add(r.method() + " " + r.template()), "twice: " + r);
            assertTrue(r.template().startsWith("/v1/"), r.template());
            assertTrue(Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(r.method()), r.method());
        }
    }

    @Test
    void variablesAreNamedInOrder() {
        assertEquals(List.of(), Route.JOBS_LIST.variables());
        assertEquals(List.of("id"), Route.JOB_SHOW.variables());
        assertEquals(List.of("id", "index"), Route.FILE_REMOTE_URL.variables());
        assertEquals(List.of("id", "target", "scheme"), Route.JOB_REMOVE_CREDENTIALS.variables());
    }

    @Test
    void pathsFillTheVariablesAsEncodedSegments() {
        assertEquals("/v1/service/stop", Route.SERVICE_STOP.path());
        assertEquals("/v1/jobs/ab12", Route.JOB_SHOW.path("ab12"));
        assertEquals("/v1/jobs/a%20b%2Fc%2B%C3%BC/resume", Route.JOB_RESUME.path("a b/c+ü"));
        assertEquals("/v1/jobs/j/files/3/remote-url", Route.FILE_REMOTE_URL.path("j", 3));
        assertEquals("/v1/jobs/j/credentials/proxy/basic", Route.JOB_REMOVE_CREDENTIALS.path("j", "proxy", "basic"));
        assertEquals("/v1/jobs/%24%7Bx%7D", Route.JOB_SHOW.path("${x}"));
    }

    @Test
    void aPathNeedsOneValuePerVariable() {
        assertThrows(IllegalArgumentException.class, () -> Route.JOB_SHOW.path());
        assertThrows(IllegalArgumentException.class, () -> Route.JOBS_LIST.path("x"));
        assertThrows(IllegalArgumentException.class, () -> Route.FILE_REMOTE_URL.path("x"));
    }
}
