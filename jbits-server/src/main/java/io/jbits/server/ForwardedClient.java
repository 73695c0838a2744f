package io.jbits.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Takes the client's address, scheme and host from the forwarding headers of requests that come from a trusted
 * proxy, and from no one else. Scheme and host are Jetty's {@link ForwardedRequestCustomizer}'s work; the address
 * is the nearest untrusted hop, read from the right of {@code Forwarded} (or else {@code X-Forwarded-For}): the
 * proxies append to those lists, so everything left of the first untrusted hop was written by the client and may
 * be forged.
 */
final class ForwardedClient implements HttpConfiguration.Customizer {

    private final TrustedProxies trusted;
    private final ForwardedRequestCustomizer jetty = new ForwardedRequestCustomizer();

    ForwardedClient(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress socket = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(socket instanceof InetSocketAddress remote) || !trusted.contains(remote.getAddress())) {
            return request;
        }
        Request forwarded = jetty.customize(request, responseHeaders);
        InetAddress client = clientAddress(request.getHeaders(), trusted, remote.getAddress());
        InetSocketAddress clientSocket = new InetSocketAddress(client, 0);
        ConnectionMetaData metaData = new ConnectionMetaData.Wrapper(forwarded.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return clientSocket;
            }
        };
        return new Request.Wrapper(forwarded) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return metaData;
            }
        };
    }

    /**
     * The nearest hop that is not a trusted proxy, walking the forwarding list from its right end; the proxy itself
     * when a hop is unreadable ({@code unknown}, an obfuscated name), since nothing left of it can be believed.
     */
    static InetAddress clientAddress(HttpFields headers, TrustedProxies trusted, InetAddress proxy) {
        List<String> hops = headers.contains(HttpHeader.FORWARDED) ? forwardedFor(headers)
                : xForwardedFor(headers);
        InetAddress client = proxy;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop;
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return client;
    }

    private static List<String> xForwardedFor(HttpFields headers) {
        List<String> hops = new ArrayList<>();
        for (String value : headers.getValuesList(HttpHeader.X_FORWARDED_FOR)) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        return hops;
    }

    /** The {@code for=} parameters of RFC 7239 {@code Forwarded} elements, in order. */
    private static List<String> forwardedFor(HttpFields headers) {
        List<String> hops = new ArrayList<>();
        for (String value : headers.getValuesList(HttpHeader.FORWARDED)) {
            for (String element : value.split(",")) {
                for (String pair : element.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        hops.add(pair.substring(equals + 1).strip());
                    }
                }
            }
        }
        return hops;
    }

    /** An IP literal from a hop ({@code 192.0.2.1}, {@code "[2001:db8::1]:4711"}, {@code 1.2.3.4:80}), or null. */
    static InetAddress literal(String hop) {
        String text = hop.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            text = close < 0 ? text : text.substring(1, close);
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            text = text.substring(0, text.indexOf(':'));
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
