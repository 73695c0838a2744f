package io.jbits.core.internal;

import io.jbits.api.JbitsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Checks what owners hand in (URLs and local paths) before anything is stored, with a clear message for each fault. */
final class Inputs {
    private Inputs() {
    }

    static URI url(String remoteUrl, boolean upload, Predicate<URI> handled) {
        URI uri;
        try {
            uri = isUnc(remoteUrl) ? smbFromUnc(remoteUrl.trim()) : new URI(remoteUrl == null ? "" : remoteUrl.trim());
        } catch (URISyntaxException e) {
            throw JbitsException.invalidArgument("not a URL: '" + remoteUrl + "' (" + e.getReason() + ")");
        }
        if (!uri.isAbsolute() || uri.getScheme() == null) {
            throw JbitsException.invalidArgument("not an absolute URL: '" + remoteUrl + "'");
        }
        if (!handled.test(uri)) {
            throw JbitsException.invalidArgument("unsupported URL scheme '" + uri.getScheme() + "' in " + remoteUrl
                    + (upload ? " for an upload" : ""));
        }
        if ((uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw JbitsException.invalidArgument("no host in URL '" + remoteUrl + "'");
        }
        if (uri.getPort() > 65_535) {
            throw JbitsException.invalidArgument("port " + uri.getPort() + " out of range in URL '" + remoteUrl + "'");
        }
        if (uri.getScheme().equalsIgnoreCase("smb")) {
            checkSmb(uri, remoteUrl);
        }
        return uri;
    }

    /** A Windows UNC name ({@code \\host\share\path}) or its slash form ({@code //host/share/path}). */
    private static boolean isUnc(String remote) {
        String t = remote == null ? "" : remote.trim();
        return t.startsWith("\\\\") || t.startsWith("//");
    }

    /**
     * {@code \\host\share\dir\file} and {@code //host/share/dir/file} as {@code smb://host/share/dir/file}, the
     * one form stored and handed to transports; characters a URI cannot hold (spaces, {@code #}, {@code %}) are
     * percent-encoded.
     */
    private static URI smbFromUnc(String unc) throws URISyntaxException {
        String rest = unc.substring(2).replace('\\', '/');
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (authority.isEmpty()) {
            throw new URISyntaxException(unc, "no server after the leading \\\\ or //");
        }
        return new URI("smb", authority, path, null, null);
    }

    private static void checkSmb(URI uri, String remoteUrl) {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw JbitsException.invalidArgument("no server in SMB name '" + remoteUrl + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.matches("/+[^/]+/+.*[^/]")) {
            throw JbitsException.invalidArgument("an SMB name needs a share and a file (smb://host/share/path or "
                    + "\\\\host\\share\\path), not '" + remoteUrl + "'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw JbitsException.invalidArgument("an SMB name has no query or fragment: '" + remoteUrl
                    + "' (write # and ? in a file name as %23 and %3F)");
        }
    }

    static String localPath(String localPath) {
        return localPath(localPath, new LocalDirectories());
    }

    /**
     * The checked, normalized local path; {@code directories} remembers the parents already looked at, so a set of
     * thousands of files in a few directories costs a look at each directory, not a stat per file.
     */
    static String localPath(String localPath, LocalDirectories directories) {
        Path p;
        try {
            p = Path.of(localPath == null ? "" : localPath);
        } catch (InvalidPathException e) {
            throw JbitsException.invalidArgument("not a valid local path: '" + localPath + "'");
        }
        if (!p.isAbsolute()) {
            throw JbitsException.invalidArgument("local path must be absolute: '" + localPath + "'");
        }
        p = p.normalize();
        if (p.getFileName() == null) {
            throw JbitsException.invalidArgument("local path names no file: '" + localPath + "'");
        }
        Path parent = p.getParent();
        if (parent != null && directories.existsAsOther(parent)) {
            throw JbitsException.invalidArgument("not a directory: " + parent);
        }
        if (directories.isTakenByDirectory(p)) {
            throw JbitsException.invalidArgument("local path is a directory: '" + localPath + "'");
        }
        return p.toString();
    }
}
