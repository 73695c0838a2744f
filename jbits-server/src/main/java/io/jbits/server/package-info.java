/**
 * {@code jbits serve}: {@link io.jbits.server.FileServer} serves one directory over HTTP with HEAD, byte ranges,
 * strong ETags, {@code If-Range} and Last-Modified (Jetty 12 core handlers), configured by
 * {@link io.jbits.server.ServeConfig}. Further handlers (the BITS upload protocol) join through
 * {@link io.jbits.server.FileServer#builder}.
 */
package io.jbits.server;
