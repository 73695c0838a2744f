package io.jbits.transport.http;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketImplFactory;

/**
 * The JVM-wide socket factory behind {@link ScriptedAnswers}: a socket made by a thread inside
 * {@link ScriptedAnswers#play} is in memory, connected to that server; every other socket is exactly the platform's
 * default (a SOCKS-capable wrapper around the platform implementation, as {@code new Socket()} makes without a
 * factory). Reaching the platform's implementation needs {@code --add-opens java.base/java.net=ALL-UNNAMED}, which
 * this module's tests run with.
 */
public final class InMemorySockets {
    private static final ThreadLocal<ScriptedAnswers> SERVING = new ThreadLocal<>();
    private static boolean installed;

    private InMemorySockets() {
    }

    /** Until closed, the sockets the thread that opened it makes are in memory. */
    public static final class Scope implements AutoCloseable {
        private final ScriptedAnswers previous;

        private Scope(ScriptedAnswers previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                SERVING.remove();
            } else {
                SERVING.set(previous);
            }
        }
    }

    static Scope serveOnThisThread(ScriptedAnswers server) {
        Scope scope = new Scope(SERVING.get());
        SERVING.set(server);
        return scope;
    }

    /** Installs the factory once for the JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Method platform = SocketImpl.class.getDeclaredMethod("createPlatformSocketImpl", boolean.class);
            platform.setAccessible(true);
            Constructor<?> socks = Class.forName("java.net.SocksSocketImpl").getDeclaredConstructor(SocketImpl.class);
            socks.setAccessible(true);
            SocketImplFactory factory = () -> {
                ScriptedAnswers server = SERVING.get();
                if (server != null) {
                    return server.accept();
                }
                try {
                    return (SocketImpl) socks.newInstance(platform.invoke(null, false));
                } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
                    throw new IllegalStateException("cannot make the platform's socket", e);
                }
            };
            installFactory(factory);
            installed = true;
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            throw new IllegalStateException("in-memory sockets need --add-opens java.base/java.net=ALL-UNNAMED", e);
        }
    }

    @SuppressWarnings("deprecation") // the one hook for sockets made inside a library with new Socket()
    private static void installFactory(SocketImplFactory factory) throws IOException {
        Socket.setSocketImplFactory(factory);
    }
}
