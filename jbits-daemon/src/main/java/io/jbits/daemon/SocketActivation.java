package io.jbits.daemon;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the listening Unix socket that systemd (or {@code systemd-socket-activate}) handed the service, if any.
 *
 * <p>Two hand-overs are understood. systemd's own ({@code sd_listen_fds}): {@code LISTEN_PID} is this process and
 * {@code LISTEN_FDS=1}, the socket is file descriptor 3. The inetd one ({@code StandardInput=socket}): the listening
 * socket is standard input. Java reads only the second, through {@link System#inheritedChannel()}, so for the first
 * descriptor 3 is moved onto descriptor 0 ({@code dup2}, through the foreign function API) before Java looks. The
 * service's standard input is never read otherwise (the launcher gives it /dev/null).
 *
 * <p>Jetty's connector then takes the channel ({@code setInheritChannel}); peer credentials ({@code SO_PEERCRED})
 * of the connections it accepts are the kernel's, exactly as on a socket the service binds itself.
 */
final class SocketActivation {
    /** The first descriptor systemd passes ({@code SD_LISTEN_FDS_START}). */
    static final int FIRST_FD = 3;

    private SocketActivation() {
    }

    /** Whether the environment says systemd passed exactly one socket to this very process. */
    static boolean passedByListenFds(Map<String, String> env, long pid) {
        return String.valueOf(pid).equals(env.get("LISTEN_PID")) && "1".equals(env.get("LISTEN_FDS"));
    }

    /**
     * The path of the listening Unix socket this process inherited, or empty when it must bind its own.
     *
     * @throws IOException when systemd passed a socket that cannot be taken, or one that is not a Unix socket
     */
    static Optional<Path> inheritedSocket(Map<String, String> env, long pid) throws IOException {
        boolean listenFds = passedByListenFds(env, pid);
        if (listenFds) {
            moveToStandardInput(FIRST_FD);
        }
        Channel channel = System.inheritedChannel();
        if (channel instanceof ServerSocketChannel server
                && server.getLocalAddress() instanceof UnixDomainSocketAddress address) {
            return Optional.of(address.getPath().toAbsolutePath());
        }
        if (listenFds) {
            throw new IOException("systemd passed file descriptor " + FIRST_FD + " (LISTEN_FDS=1), but it is not a "
                    + "listening Unix socket (" + channel + "); the socket unit needs ListenStream=<path>");
        }
        return Optional.empty();
    }

    /** {@code dup2(fd, 0); close(fd)}: Java looks for an inherited channel on standard input only. */
    private static void moveToStandardInput(int fd) throws IOException {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor intInt = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT);
        MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(), intInt);
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try {
            int result = (int) dup2.invokeExact(fd, 0);
            if (result != 0) {
                throw new IOException("cannot take the socket systemd passed: dup2(" + fd + ", 0) failed");
            }
            int ignored = (int) close.invokeExact(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot take the socket systemd passed: " + t, t);
        }
    }
}
