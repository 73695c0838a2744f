/**
 * The wire vocabulary of the BITS upload protocol ([MC-BUP]) that both of its ends share: the request
 * {@linkplain io.jbits.bup.Protocol method and protocol GUID}, the {@linkplain io.jbits.bup.PacketType packet types},
 * the {@linkplain io.jbits.bup.Headers header names}, a Fragment's {@linkplain io.jbits.bup.ContentRange
 * Content-Range}, the server's {@linkplain io.jbits.bup.Ack Ack} and the {@linkplain io.jbits.bup.Hresult error
 * codes} it carries. Plain JDK, no I/O: the client ({@code jbits-transport-http}) and the server
 * ({@code jbits-server}) put these values on and take them off the wire with their own HTTP libraries.
 * See docs/bits.md for the protocol as jbits implements it.
 */
package io.jbits.bup;
