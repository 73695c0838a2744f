package io.jbits.server.metrics;

import io.jbits.bup.Ack;
import io.jbits.bup.Hresult;
import io.jbits.bup.PacketType;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.UploadEvents;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The upload server's metrics, in a registry of the Prometheus Java client: open sessions, bytes received,
 * fragments by result, errors by BITS code, the time to force a fragment to disk before its Ack, notification calls
 * and failures, and refused logins. {@link MetricsEndpoint} serves them in the text format.
 */
public final class ServeMetrics implements UploadEvents {

    /** fsync on a disk takes from tens of microseconds (cache, NVMe) to a second (a busy spinning disk). */
    private static final double[] FSYNC_BOUNDS_SECONDS = {0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<IntSupplier> openSessions = new CopyOnWriteArrayList<>();
    private final List<BasicAuthHandler> logins = new CopyOnWriteArrayList<>();
    private final Counter bytesReceived;
    private final Counter fragments;
    private final Counter errors;
    private final Counter notifications;
    private final Histogram fsync;

    public ServeMetrics() {
        bytesReceived = Counter.builder().name("jbits_serve_received_bytes_total")
                .help("Bytes of upload fragments written to session files").register(registry);
        fragments = Counter.builder().name("jbits_serve_fragments_total")
                .help("Fragments answered, by result: acknowledged, out_of_order (416, resend from the offset), "
                        + "refused (an error Ack)")
                .labelNames("result").register(registry);
        errors = Counter.builder().name("jbits_serve_errors_total")
                .help("Error Acks sent, by BITS-Error-Code (an HRESULT) and HTTP status")
                .labelNames("code", "status").register(registry);
        notifications = Counter.builder().name("jbits_serve_notifications_total")
                .help("Calls to the server application about finished uploads, by result: ok or failed")
                .labelNames("result").register(registry);
        fsync = Histogram.builder().name("jbits_serve_fragment_fsync_seconds")
                .help("Time to force a fragment's bytes to disk before its Ack")
                .classicOnly().classicUpperBounds(FSYNC_BOUNDS_SECONDS).register(registry);
        GaugeWithCallback.builder().name("jbits_serve_open_sessions").help("Upload sessions open now")
                .callback(callback -> callback.call(openSessions.stream().mapToInt(IntSupplier::getAsInt).sum()))
                .register(registry);
        CounterWithCallback.builder().name("jbits_serve_logins_refused_total")
                .help("Requests refused by authentication, by reason: wrong_password, throttled, plain_http, "
                        + "no_credentials (the first challenge)")
                .labelNames("reason")
                .callback(callback -> {
                    for (BasicAuthHandler.Refusal reason : BasicAuthHandler.Refusal.values()) {
                        callback.call(logins.stream().mapToLong(h -> h.refusals(reason)).sum(),
                                reason.name().toLowerCase(Locale.ROOT));
                    }
                })
                .register(registry);
    }

    /** Counts the open sessions of {@code handler} too. */
    public ServeMetrics watch(BitsUploadHandler handler) {
        return watchSessions(handler::openSessions);
    }

    /** Counts the open sessions {@code count} reports too (a set of handlers that changes). */
    public ServeMetrics watchSessions(IntSupplier count) {
        openSessions.add(count);
        return this;
    }

    /** Counts the refusals of {@code handler} too. */
    public ServeMetrics watch(BasicAuthHandler handler) {
        logins.add(handler);
        return this;
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    public void writeTo(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), null);
    }

    /** The text format's content type. */
    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    @Override
    public void answered(PacketType type, Ack ack) {
        if (ack.errorCode() != Ack.NO_ERROR_CODE) {
            errors.labelValues(Hresult.hex(ack.errorCode()), Integer.toString(ack.status())).inc();
        }
        if (type == PacketType.FRAGMENT) {
            String result = ack.status() == 416 ? "out_of_order" : ack.isSuccess() ? "acknowledged" : "refused";
            fragments.labelValues(result).inc();
        }
    }

    @Override
    public void received(long bytes) {
        bytesReceived.inc(bytes);
    }

    @Override
    public void forced(long nanos) {
        fsync.observe(nanos / 1e9);
    }

    @Override
    public void notified(boolean succeeded) {
        notifications.labelValues(succeeded ? "ok" : "failed").inc();
    }
}
