/**
 * The HTTP(S) transport of jbits: {@link io.jbits.transport.http.HttpTransport}, created from an
 * {@link io.jbits.transport.http.HttpTransportConfig}, plugs into the engine as an {@link io.jbits.spi.Transport}.
 */
package io.jbits.transport.http;
