package io.jbits.core.internal;

import io.jbits.api.JbitsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
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
            uri = new URI(remoteUrl == null ? "" : remoteUrl.trim());
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
        return uri;
    }

    static String localPath(String localPath) {
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
        if (Files.isDirectory(p)) {
            throw JbitsException.invalidArgument("local path is a directory: '" + localPath + "'");
        }
        Path parent = p.getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw JbitsException.invalidArgument("not a directory: " + parent);
        }
        return p.toString();
    }
}
