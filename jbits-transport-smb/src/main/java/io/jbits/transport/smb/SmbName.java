package io.jbits.transport.smb;

import java.net.URI;

/**
 * An SMB remote name taken apart: {@code smb://host[:port]/share/dir/file} gives the server, the share and the
 * path inside it. UNC names ({@code \\host\share\dir\file}) reach the transports already turned into this form by
 * the engine's input checks.
 *
 * @param path the file's path inside the share, with backslashes, without a leading one ({@code dir\file})
 */
record SmbName(String host, int port, String share, String path) {
    /** The port of SMB over TCP (direct hosting). */
    static final int DEFAULT_PORT = 445;

    /** Reads an {@code smb:} URI; throws {@link IllegalArgumentException} for one that names no share or file. */
    static SmbName of(URI uri) {
        if (!"smb".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an smb: URL: " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no server in " + uri);
        }
        String p = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        int slash = p.indexOf('/');
        if (slash <= 0 || slash == p.length() - 1 || p.endsWith("/")) {
            throw new IllegalArgumentException("an SMB name needs a share and a file: smb://host/share/path, not "
                    + uri);
        }
        String share = p.substring(0, slash);
        String path = p.substring(slash + 1).replaceAll("/+", "/").replace('/', '\\');
        return new SmbName(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), share, path);
    }

    /** Where the server listens, for messages: {@code host} or {@code host:port}. */
    String server() {
        return port == DEFAULT_PORT ? host : host + ":" + port;
    }

    /** The name as Windows writes it, for messages: {@code \\host\share\dir\file}. */
    String unc() {
        return "\\\\" + server() + "\\" + share + "\\" + path;
    }

    /** The directory part of {@link #path} ("" at the share's root). */
    String directory() {
        int i = path.lastIndexOf('\\');
        return i < 0 ? "" : path.substring(0, i);
    }

    /** The file's own name. */
    String fileName() {
        return path.substring(path.lastIndexOf('\\') + 1);
    }
}
