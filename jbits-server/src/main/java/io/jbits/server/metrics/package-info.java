/**
 * Prometheus metrics of {@code jbits serve}: {@link io.jbits.server.metrics.ServeMetrics} counts what the upload and
 * authentication handlers do, and {@link io.jbits.server.metrics.MetricsEndpoint} serves it on a listener of its own.
 */
package io.jbits.server.metrics;
