package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.Route;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AdminAccessTest {
    @Test
    void rootIsTheAdministratorAndNobodyElse() {
        assertTrue(AdminAccess.isAdministrator("root"));
        assertTrue(AdminAccess.isAdministrator("0"), "a uid without a name");
        assertFalse(AdminAccess.isAdministrator("nobody"));
        assertFalse(AdminAccess.isAdministrator("1000"));
        assertFalse(AdminAccess.isAdministrator("no-such-user-here"));
        assertFalse(AdminAccess.isAdministrator(null));
    }

    @Test
    void anAdministratorReadsAndChangesStatesButNeverNamesAFileOrASecret() {
        assertEquals(EnumSet.of(Route.SERVICE_STATUS, Route.EVENTS, Route.JOBS_LIST, Route.JOB_SHOW,
                Route.JOB_RESUME, Route.JOB_SUSPEND, Route.JOB_CANCEL, Route.JOB_COMPLETE, Route.JOBS_COMPLETE,
                Route.POLICY_SHOW), AdminAccess.ALLOWED);
        for (Route refused : EnumSet.of(Route.JOB_CREATE, Route.JOB_ADD_FILE, Route.JOB_ADD_FILES,
                Route.JOB_REPLY_FILE, Route.JOB_NOTIFY, Route.JOB_SET_CREDENTIALS, Route.JOB_CHANGE,
                Route.SERVICE_STOP, Route.POLICY_CHANGE, Route.DASHBOARD, Route.FILE_REMOTE_URL,
                Route.UPLOADS_START, Route.DOWNLOAD_START)) {
            assertFalse(AdminAccess.ALLOWED.contains(refused), refused + " is refused");
        }
    }

    @Test
    void aRefusedCallIsA403AndAnAllowedOneGoesThrough() {
        Endpoint any = x -> Answer.STREAMED;
        java.util.Map<Route, Endpoint> endpoints = new java.util.EnumMap<>(Route.class);
        for (Route r : Route.values()) {
            endpoints.put(r, any);
        }
        ApiRoutes routes = new ApiRoutes(endpoints);
        assertEquals(null, AdminAccess.check(routes, "GET", "/v1/jobs", "root", "alice"));
        assertEquals(null, AdminAccess.check(routes, "POST", "/v1/jobs/abc/cancel", "root", "alice"));
        Answer create = AdminAccess.check(routes, "POST", "/v1/jobs", "root", "alice");
        assertEquals(403, create.status());
        assertEquals(403, AdminAccess.check(routes, "PUT", "/v1/jobs/abc/reply-file", "root", "alice").status());
        assertEquals(null, AdminAccess.check(routes, "GET", "/v1/nothing", "root", "alice"),
                "an unknown path gets the usual 404 further on");
    }
}
