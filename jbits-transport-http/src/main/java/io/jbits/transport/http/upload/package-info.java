/**
 * The client of the BITS upload protocol ([MC-BUP]): {@link io.jbits.transport.http.upload.BitsUploadClient},
 * created from an {@link io.jbits.transport.http.HttpTransportConfig}, plugs into the engine as an
 * {@link io.jbits.spi.UploadTransport}.
 */
package io.jbits.transport.http.upload;
