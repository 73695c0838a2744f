/**
 * HTTPS for {@code jbits serve}: {@link io.jbits.server.tls.HttpsContexts} turns the PEM files of
 * {@link io.jbits.server.tls.TlsFiles} into Jetty's TLS context and reloads it when a renewal rewrites them.
 */
package io.jbits.server.tls;
