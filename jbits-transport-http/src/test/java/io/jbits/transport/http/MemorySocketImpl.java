package io.jbits.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * One in-memory connection to a {@link ScriptedAnswers} server, seen from the client: what the client writes is the
 * request; once it is complete, the server's answer is there to read, then the end of the stream (the server closed
 * the connection). A read before the request is complete is what a TCP client would get after its socket timeout,
 * since the server waits for the rest: a {@link SocketTimeoutException}, here at once.
 */
final class MemorySocketImpl extends SocketImpl {
    private final ScriptedAnswers server;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private final Map<Integer, Object> options = new HashMap<>();
    private final Map<SocketOption<?>, Object> named = new HashMap<>();
    /** The server's answer once it has one (possibly empty: closed unanswered); null while it reads. */
    private byte[] answer;
    private int read;
    private boolean closed;

    MemorySocketImpl(ScriptedAnswers server) {
        this.server = server;
        options.put(SocketOptions.SO_TIMEOUT, 0);
        options.put(SocketOptions.TCP_NODELAY, false);
        options.put(SocketOptions.SO_KEEPALIVE, false);
        options.put(SocketOptions.SO_RCVBUF, 65_536);
        options.put(SocketOptions.SO_SNDBUF, 65_536);
        options.put(SocketOptions.SO_REUSEADDR, false);
        options.put(SocketOptions.SO_OOBINLINE, false);
        options.put(SocketOptions.IP_TOS, 0);
        options.put(SocketOptions.SO_LINGER, -1);
    }

    @Override
    protected void create(boolean stream) {
        // nothing to create: the connection is two buffers
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(InetAddress.getByName(host), port);
    }

    @Override
    protected void connect(InetAddress to, int port) throws IOException {
        if (!to.isLoopbackAddress() || !server.listensOn(port)) {
            throw new ConnectException("Connection refused");
        }
        this.address = to;
        this.port = port;
        this.localport = 40_000 + (System.identityHashCode(this) & 0x3fff);
    }

    @Override
    protected void connect(SocketAddress to, int timeoutMillis) throws IOException {
        InetSocketAddress inet = (InetSocketAddress) to;
        if (inet.isUnresolved()) {
            throw new java.net.UnknownHostException(inet.getHostName());
        }
        connect(inet.getAddress(), inet.getPort());
    }

    @Override
    protected void bind(InetAddress host, int port) {
        this.localport = port;
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("an in-memory client socket does not listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("an in-memory client socket does not accept");
    }

    @Override
    protected InputStream getInputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (answer == null) {
                    throw new SocketTimeoutException("Read timed out");
                }
                if (len == 0) {
                    return 0;
                }
                if (read >= answer.length) {
                    return -1;
                }
                int n = Math.min(len, answer.length - read);
                System.arraycopy(answer, read, b, off, n);
                read += n;
                return n;
            }

            @Override
            public int available() {
                return MemorySocketImpl.this.available();
            }
        };
    }

    @Override
    protected OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (answer != null) {
                    return; // the server has closed: TCP takes the bytes and the peer drops them
                }
                request.write(b, off, len);
                answer = server.answer(request);
            }
        };
    }

    @Override
    protected int available() {
        return answer == null || closed ? 0 : answer.length - read;
    }

    @Override
    protected void close() {
        closed = true;
    }

    @Override
    protected void shutdownInput() {
        // reads still see what the server sent; the clients here never shut input down
    }

    @Override
    protected void shutdownOutput() {
        if (answer == null) {
            answer = new byte[0]; // the server read the end of the stream before a whole request: closes unanswered
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("no urgent data in memory");
    }

    @Override
    public void setOption(int id, Object value) {
        options.put(id, value);
    }

    /** Options by name (TCP keep-alive tuning and the like): kept, as nothing in memory acts on them. */
    @Override
    protected <T> void setOption(SocketOption<T> name, T value) {
        named.put(name, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) {
        return (T) named.get(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return Set.of(StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.TCP_NODELAY,
                StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, ExtendedSocketOptions.TCP_KEEPIDLE,
                ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);
    }

    @Override
    public Object getOption(int id) {
        if (id == SocketOptions.SO_BINDADDR) {
            return InetAddress.getLoopbackAddress();
        }
        return options.get(id);
    }
}
