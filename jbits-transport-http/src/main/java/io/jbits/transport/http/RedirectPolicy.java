package io.jbits.transport.http;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.HttpSettings;
import io.jbits.spi.TransferFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Decides which redirects a download follows, the one place where that policy lives.
 *
 * <p>BITS 3.0+ with WinHTTP 5.1 (docs/bits.md §1.2, §3.6) follows redirects silently by default, refuses an
 * https→http downgrade unless {@code BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP} is set, and never follows a
 * redirect out of HTTP (to SMB, file, …). A refused redirect is fatal: {@code ERROR_WINHTTP_REDIRECT_FAILED}. We also refuse loops
 * and chains longer than {@code maxRedirects}, which WinHTTP caps the same way.
 *
 * <p>A job chooses with its {@link HttpSettings}: {@code allow} (the default, BITS's ALLOW_SILENT), {@code report}
 * (follow, and the file's remote name becomes the final URL: ALLOW_REPORT) or {@code deny} (any redirect is a fatal
 * error: DISALLOW); {@link HttpSettings#allowHttpsToHttp()} lets a downgrade through (ALLOW_HTTPS_TO_HTTP).
 *
 * @param mode whether redirects are followed, and reported
 * @param allowHttpsToHttp true to follow an https URL to a plain http one
 * @param maxRedirects the most redirects one request may follow
 */
record RedirectPolicy(Mode mode, boolean allowHttpsToHttp, int maxRedirects) {

    /** What a job does with a redirect. */
    enum Mode {
        /** Follow silently. */
        ALLOW,
        /** Follow, and report the final URL as the file's remote name. */
        REPORT,
        /** Refuse: the file fails with {@link BitsCodes#E_REDIRECT_FAILED}. */
        DENY
    }

    /** WinHTTP 5.1's default: follow, no downgrade, at most 10 hops. */
    static final RedirectPolicy DEFAULT = new RedirectPolicy(Mode.ALLOW, false, 10);

    RedirectPolicy {
        java.util.Objects.requireNonNull(mode, "mode");
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects < 0: " + maxRedirects);
        }
    }

    /** A following policy (ALLOW) with these limits. */
    RedirectPolicy(boolean allowHttpsToHttp, int maxRedirects) {
        this(Mode.ALLOW, allowHttpsToHttp, maxRedirects);
    }

    /** The policy of a job's settings. */
    static RedirectPolicy of(HttpSettings settings) {
        Mode m = switch (settings.redirectPolicy()) {
            case ALLOW -> Mode.ALLOW;
            case REPORT -> Mode.REPORT;
            case DENY -> Mode.DENY;
        };
        return new RedirectPolicy(m, settings.allowHttpsToHttp(), DEFAULT.maxRedirects);
    }

    /**
     * The URL to request next, when {@code from} answered {@code status} with {@code location}.
     *
     * @param chain every URL requested so far for this file, the original first and {@code from} last
     * @throws TransferFailure with {@link BitsCodes#E_REDIRECT_FAILED} (fatal) when the policy refuses the hop
     */
    URI next(URI from, int status, String location, List<URI> chain) throws TransferFailure {
        URI to;
        try {
            to = withoutFragment(from.resolve(new URI(location.trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused(status, "HTTP " + status + " from " + from + " has an invalid Location: " + location);
        }
        if (mode == Mode.DENY) {
            throw refused(status, "refused redirect from " + from + " to " + to
                    + ": this job does not follow redirects (redirects deny)");
        }
        String fromScheme = scheme(from);
        String toScheme = scheme(to);
        if (!toScheme.equals("http") && !toScheme.equals("https")) {
            throw refused(status, "refused redirect from " + from + " to " + to + ": only http and https are followed");
        }
        if (to.getHost() == null) {
            throw refused(status, "refused redirect from " + from + " to " + to + ": no host");
        }
        if (to.getPort() > 65_535) {
            throw refused(status, "refused redirect from " + from + " to " + to + ": port out of range");
        }
        if (fromScheme.equals("https") && toScheme.equals("http") && !allowHttpsToHttp) {
            throw refused(status, "refused redirect from " + from + " to " + to
                    + ": https to http downgrade is not allowed");
        }
        if (chain.contains(to)) {
            throw refused(status, "redirect loop: " + from + " redirects to " + to + ", already requested");
        }
        if (chain.size() > maxRedirects) {
            throw refused(status, "too many redirects (more than " + maxRedirects + ") starting at " + chain.getFirst()
                    + ", last from " + from + " to " + to);
        }
        return to;
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }

    private static TransferFailure refused(int status, String message) {
        return new TransferFailure(new JobError(BitsCodes.E_REDIRECT_FAILED, ErrorContext.REMOTE_FILE, message,
                status, null, false));
    }
}
