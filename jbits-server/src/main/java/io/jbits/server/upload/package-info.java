/**
 * The server side of the BITS upload protocol ([MC-BUP]): {@link io.jbits.server.upload.BitsUploadHandler}, a
 * Jetty 12 handler configured by {@link io.jbits.server.upload.UploadConfig}, mounted in {@code jbits serve}
 * through {@link io.jbits.server.FileServer#builder} or in any Jetty server. Reference: docs/bits.md §8.
 */
package io.jbits.server.upload;
