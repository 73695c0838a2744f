package io.jbits.server;

import java.nio.file.Path;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;

/**
 * The access log of {@code jbits serve}: Jetty's {@link CustomRequestLog} in the NCSA combined format that log
 * tools read, with the BITS packet type and session id appended. The user is the authenticated one ({@code %u});
 * no header that carries a password is ever written.
 */
public final class AccessLog {

    /**
     * NCSA combined ({@code client - user [time] "request" status bytes "referer" "agent"}), then the packet type,
     * the session id of the Ack, and the time taken in milliseconds.
     */
    public static final String FORMAT = "%{client}a - %u %t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\" "
            + "%{BITS-Packet-Type}i %{BITS-Session-Id}o %{ms}Tms";

    private AccessLog() {
    }

    /** A log appended to {@code file}. */
    public static RequestLog toFile(Path file) {
        RequestLogWriter writer = new RequestLogWriter(file.toAbsolutePath().toString());
        writer.setAppend(true);
        return new CustomRequestLog(writer, FORMAT);
    }

    /** A log on standard error (Jetty's writer without a file), which a service manager's journal keeps. */
    public static RequestLog toStandardError() {
        return new CustomRequestLog(new RequestLogWriter(), FORMAT);
    }
}
