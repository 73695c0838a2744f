import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The floor under bench/upload.sh's idle-service row: the least a Java program holds in memory to be jbits' idle
 * service with the libraries jbits is built on, and nothing of jbits itself. It opens a SQLite database with
 * sqlite-jdbc and commits one row (the durable queue), and answers HTTP on a Unix socket with Jetty 12, each answer a
 * small JSON document written by Jackson (the REST API). It makes no HTTP client: an idle service needs none (jbits'
 * makes its own at the first transfer). After one full collection it waits to be stopped. bench/upload.sh runs it with
 * the service's JVM options and a class-data archive of its own, as the service has, and reports its RSS beside the
 * service's.
 *
 * <p>Usage: {@code java -cp JARS bench/lib/IdleFloor.java DIR}: DIR is made and holds the database and the socket
 * ({@code DIR/floor.sock}); "ready" is printed once the server has started.
 */
public final class IdleFloor {
    private IdleFloor() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        ObjectMapper json = new ObjectMapper();
        json.readTree("{\"settings\": {\"maxRate\": null, \"jobs\": []}}");
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"));
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
            s.execute("INSERT OR REPLACE INTO jobs VALUES ('floor', '{}')");
        }
        Server server = new Server(new VirtualThreadPool());
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory());
        Path socket = dir.resolve("floor.sock");
        Files.deleteIfExists(socket); // a run stopped by a signal leaves its socket file
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = json.writeValueAsBytes(Map.of("state", "running", "jobs", List.of()));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        System.gc(); // what the start left behind: the heap shrinks to what stays (the service does the same)
        System.out.println("ready");
        try {
            server.join();
        } finally {
            db.close();
        }
    }
}
