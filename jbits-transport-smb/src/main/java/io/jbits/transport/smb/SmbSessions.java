package io.jbits.transport.smb;

import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Share;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open SMB sessions, one TCP connection each, keyed by (owner, server, share, logon): a connection
 * authenticated for one owner or one set of credentials is never used for another (the isolation WinHTTP 5.1 gives
 * BITS's HTTP connections, applied to SMB). Files of one job, and jobs of one owner with the same credentials, share
 * a session; smbj multiplexes their requests on it.
 *
 * <p>Each key has its own {@link SMBClient}, because an SMBClient shares one connection per server among all its
 * callers, and its own client GUID, because a server may bind connections that share a GUID into one multichannel
 * session group (Samba then serves them from one process). A session that failed ({@link #discard}) is closed and
 * opened anew by the next caller.
 */
final class SmbSessions implements AutoCloseable {
    /** What one session is for. */
    record Key(String owner, String host, int port, String share, String logon) {
    }

    /** One live session: its client, connection and share. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        SMBClient client;
        Connection connection;
        DiskShare share;

        boolean usable() {
            return share != null && share.isConnected();
        }

        /**
         * Forgets the session. A failed one is closed by force: a polite close (tree disconnect, logoff) on a
         * connection the server has dropped waits for answers that never come, up to the request timeout, while the
         * job that failed waits to be told so. A healthy one (at shutdown) is closed politely, in the background.
         */
        void drop(boolean failed) {
            SMBClient c = client;
            Connection conn = connection;
            client = null;
            connection = null;
            share = null;
            if (conn != null && failed) {
                try {
                    conn.close(true);
                } catch (IOException | RuntimeException e) {
                    // The socket is closed either way.
                }
            }
            if (c != null) {
                closeInBackground(c);
            }
        }
    }

    /** Closes a client (what is still open on its connections, politely) without waiting for the server. */
    private static void closeInBackground(SMBClient client) {
        Thread.ofVirtual().name("smb-close").start(() -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                // Nothing more to release.
            }
        });
    }

    private final SmbConfig config;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SmbSessions(SmbConfig config) {
        this.config = config;
    }

    /** The share for this owner and logon, connecting and logging on when no live session exists. */
    DiskShare share(String owner, SmbName name, SmbLogon logon) throws IOException, TransferFailure {
        if (closed) {
            throw new IOException("the SMB transport is closed");
        }
        Entry entry = entries.computeIfAbsent(key(owner, name, logon), k -> new Entry());
        entry.lock.lock();
        try {
            if (entry.usable()) {
                return entry.share;
            }
            entry.drop(true);
            SMBClient client = new SMBClient(SmbConfig.builder(config).withClientGuid(UUID.randomUUID()).build());
            try {
                entry.share = open(client, name, logon);
                entry.client = client;
                entry.connection = entry.share.getTreeConnect().getSession().getConnection();
                return entry.share;
            } catch (IOException | TransferFailure | RuntimeException e) {
                closeInBackground(client); // a half-open connection may not answer a polite close
                throw e;
            }
        } finally {
            entry.lock.unlock();
        }
    }

    /** Drops a session after a failure, so that the next caller connects anew. */
    void discard(String owner, SmbName name, SmbLogon logon, DiskShare failed) {
        Entry entry = entries.get(key(owner, name, logon));
        if (entry == null) {
            return;
        }
        entry.lock.lock();
        try {
            if (entry.share == failed) {
                entry.drop(true);
            }
        } finally {
            entry.lock.unlock();
        }
    }

    private static Key key(String owner, SmbName name, SmbLogon logon) {
        return new Key(owner, name.host().toLowerCase(Locale.ROOT), name.port(),
                name.share().toLowerCase(Locale.ROOT), logon.identity());
    }

    /** How many sessions are open now (for tests of isolation). */
    int openSessions() {
        return (int) entries.values().stream().filter(Entry::usable).count();
    }

    private static DiskShare open(SMBClient client, SmbName name, SmbLogon logon)
            throws IOException, TransferFailure {
        Connection connection;
        try {
            connection = client.connect(name.host(), name.port());
        } catch (IOException e) {
            throw SmbFailures.connectFailed(e, name);
        }
        RuntimeException last = null;
        for (AuthenticationContext auth : logon.contexts()) {
            try {
                Session session = connection.authenticate(auth);
                Share share = session.connectShare(name.share());
                if (share instanceof DiskShare disk) {
                    return disk;
                }
                share.close();
                throw new TransferFailure(new JobError(BitsCodes.E_BAD_NET_NAME, ErrorContext.REMOTE_FILE,
                        "\\\\" + name.server() + "\\" + name.share() + " is not a disk share (a printer or IPC)",
                        null, null, false));
            } catch (RuntimeException e) {
                last = e;
                // Without credentials, anonymous comes first and guest second. smbj cannot finish an anonymous
                // logon on SMB 3.1.1 (it derives signing keys from a session key that anonymous sessions lack), and
                // servers may refuse anonymous but map unknown users to guest: any failure but the network's moves on.
                boolean network = SmbFailures.rootIo(e) != null;
                if (!logon.anonymous() || network || (e instanceof SMBApiException api && !isRefusedLogon(api))) {
                    break;
                }
            }
        }
        throw SmbFailures.classify(last, name, logon, "logging on for");
    }

    private static boolean isRefusedLogon(SMBApiException e) {
        return switch (e.getStatus()) {
            case STATUS_LOGON_FAILURE, STATUS_ACCESS_DENIED, STATUS_ACCOUNT_DISABLED -> true;
            default -> false;
        };
    }

    @Override
    public void close() {
        closed = true;
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        for (Entry e : all) {
            e.lock.lock();
            try {
                e.drop(false);
            } finally {
                e.lock.unlock();
            }
        }
    }
}
