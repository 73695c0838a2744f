package io.jbits.server.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.resource.Resource;

/**
 * Decides whether a plain GET or HEAD reads an upload directory that does not allow it ({@code allow-get: false}),
 * as IIS answers 403 (403.2, "read access denied") for a virtual directory without read permission while its BITS
 * uploads go on: every URL below the directory's own prefix, and any file the server's file handler would serve
 * from inside the upload directory (an upload directory inside the served directory).
 */
final class ReadAccess {

    private ReadAccess() {
    }

    /** True for GET and HEAD. */
    static boolean isRead(Request request) {
        return HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
    }

    /**
     * True when {@code pathInContext} (decoded) names an existing file of the context's base directory whose real
     * path lies inside {@code realUploadDir}.
     */
    static boolean servesFrom(Request request, String pathInContext, Path realUploadDir) {
        Context context = request.getContext();
        Resource base = context == null ? null : context.getBaseResource();
        if (base == null || pathInContext == null || realUploadDir == null) {
            return false;
        }
        Resource resource = base.resolve(pathInContext);
        Path path = resource == null ? null : resource.getPath();
        if (path == null || !Files.exists(path)) {
            return false;
        }
        try {
            return path.toRealPath().startsWith(realUploadDir);
        } catch (IOException e) {
            return false;
        }
    }
}
