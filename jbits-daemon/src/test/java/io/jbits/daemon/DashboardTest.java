package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.client.ServiceClient;
import io.jbits.rest.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpCookieStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web dashboard's listener: started once through the API, its token, and the checks on every request. */
class DashboardTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path home;
    private final MemoryJobs jobs = new MemoryJobs(ME);
    private ApiServer server;
    private ServiceClient client;
    private HttpClient http;
    private Json.Dashboard dashboard;

    @BeforeEach
    void start() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        server = ApiServer.start(new ApiConfig(jobs, home.resolve("jbits.sock"), ME, home, () -> { }));
        client = ServiceClient.connect(server.socket());
        http = new HttpClient();
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setFollowRedirects(false);
        http.start();
        dashboard = client.dashboard(null);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        client.close();
        server.close();
    }

    private Request request(String method, String pathAndQuery) {
        return http.newRequest("http://127.0.0.1:" + dashboard.port() + pathAndQuery).method(method)
                .timeout(10, TimeUnit.SECONDS);
    }

    private Request withCookie(Request r) {
        return r.headers(h -> h.put(HttpHeader.COOKIE, "jbits-dashboard-" + dashboard.port() + "="
                + dashboard.token()));
    }

    @Test
    void itStartsOnceOnLoopbackWithAPrivateToken() throws Exception {
        assertEquals("http://127.0.0.1:" + dashboard.port() + "/", dashboard.url());
        assertTrue(dashboard.token().matches("[0-9a-f]{64}"), dashboard.token());
        Path file = home.resolve(DashboardToken.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(dashboard.token(), Files.readString(file).strip());
        assertEquals(dashboard, client.dashboard(null));
        assertEquals(dashboard, client.dashboard(dashboard.port()));
        int other = dashboard.port() == 65_535 ? 65_534 : dashboard.port() + 1;
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.jbits.api.JbitsException.class,
                () -> client.dashboard(other));
        assertTrue(refused.getMessage().contains("listens on port " + dashboard.port()), refused.getMessage());
    }

    @Test
    void theTokenInTheAddressBecomesACookieAndLeavesTheAddress() throws Exception {
        assertEquals(403, request("GET", "/").send().getStatus());
        assertEquals(403, request("GET", "/?token=" + "0".repeat(64)).send().getStatus());
        ContentResponse first = request("GET", "/job.html?id=abc&token=" + dashboard.token()).send();
        assertEquals(303, first.getStatus());
        assertTrue(first.getHeaders().get(HttpHeader.LOCATION).endsWith("/job.html?id=abc"),
                first.getHeaders().get(HttpHeader.LOCATION));
        String cookie = first.getHeaders().get(HttpHeader.SET_COOKIE);
        assertEquals("jbits-dashboard-" + dashboard.port() + "=" + dashboard.token()
                + "; Path=/; HttpOnly; SameSite=Strict", cookie);
        ContentResponse page = withCookie(request("GET", "/")).send();
        assertEquals(200, page.getStatus());
        assertTrue(page.getContentAsString().contains("<html"), page.getContentAsString());
        assertEquals("no-store", page.getHeaders().get(HttpHeader.CACHE_CONTROL));
        assertTrue(page.getHeaders().get("Content-Security-Policy").contains("default-src 'none'"));
        assertEquals(404, withCookie(request("GET", "/nothing.js")).send().getStatus());
        // Last: Jetty answers an ambiguous path with 400 and closes the connection.
        int outside = withCookie(request("GET", "/%2e%2e/pom.xml")).send().getStatus();
        assertTrue(outside == 400 || outside == 404, "a path out of the folder: " + outside);
    }

    @Test
    void theApiIsTheSameRestApiAsTheOwner() throws Exception {
        ContentResponse created = withCookie(request("POST", "/v1/jobs"))
                .headers(h -> h.put(HttpHeader.ORIGIN, "http://127.0.0.1:" + dashboard.port()))
                .body(new StringRequestContent("application/json", "{\"name\":\"from-the-page\"}")).send();
        assertEquals(201, created.getStatus(), created.getContentAsString());
        assertEquals(1, jobs.jobs(false).size());
        ContentResponse list = request("GET", "/v1/jobs")
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + dashboard.token())).send();
        assertEquals(200, list.getStatus());
        assertTrue(list.getContentAsString().contains("from-the-page"), list.getContentAsString());
        assertEquals(403, request("GET", "/v1/jobs").send().getStatus());
    }

    @Test
    void aForeignHostOrOriginIsRefusedEvenWithTheToken() throws Exception {
        ContentResponse rebound = withCookie(request("GET", "/v1/jobs"))
                .headers(h -> h.put(HttpHeader.HOST, "evil.example:" + dashboard.port())).send();
        assertEquals(403, rebound.getStatus());
        assertTrue(rebound.getContentAsString().contains("E_ACCESSDENIED"), rebound.getContentAsString());
        ContentResponse otherPort = withCookie(request("GET", "/"))
                .headers(h -> h.put(HttpHeader.HOST, "localhost:1")).send();
        assertEquals(403, otherPort.getStatus());
        ContentResponse localhost = withCookie(request("GET", "/"))
                .headers(h -> h.put(HttpHeader.HOST, "localhost:" + dashboard.port())).send();
        assertEquals(200, localhost.getStatus());
        ContentResponse crossSite = withCookie(request("POST", "/v1/jobs"))
                .headers(h -> h.put(HttpHeader.ORIGIN, "http://evil.example"))
                .body(new StringRequestContent("application/json", "{\"name\":\"forged\"}")).send();
        assertEquals(403, crossSite.getStatus());
        assertEquals(0, jobs.jobs(true).size());
    }

    @Test
    void hostAndOriginChecks() {
        assertTrue(DashboardHandler.isOwnHost("127.0.0.1:8080", 8080));
        assertTrue(DashboardHandler.isOwnHost("LOCALHOST:8080", 8080));
        assertTrue(!DashboardHandler.isOwnHost("127.0.0.1", 8080));
        assertTrue(!DashboardHandler.isOwnHost("127.0.0.1:80800", 8080));
        assertTrue(!DashboardHandler.isOwnHost("127.0.0.2:8080", 8080));
        assertTrue(DashboardHandler.isOwnOrigin("http://localhost:8080", 8080));
        assertTrue(!DashboardHandler.isOwnOrigin("https://localhost:8080", 8080));
        assertTrue(!DashboardHandler.isOwnOrigin("null", 8080));
    }
}
