package io.jbits.server.upload;

import io.jbits.bup.Headers;
import io.jbits.bup.Hresult;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Tells the server application that an upload has arrived: an HTTP {@code POST} (not {@code BITS_POST}) to the
 * notification URL, by reference (the paths of the data and of the reply file in headers, empty body) or by value
 * (the file as the body; the response body becomes the reply). Reference: docs/bits.md §8.7.
 *
 * <p>The application's status decides: 2xx is success; any other status is passed to the client with the
 * REMOTE_APPLICATION context, which makes the client resend the last fragment and so notify again (the spec's
 * NOTIFY → RECEIVE_FRAGMENTS edge). Applications must therefore tolerate duplicates; the upload's id header lets
 * them recognise one.
 */
final class Notifier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

    /** What the application asked for besides its reply. */
    record Outcome(String staticResponseUrl, boolean copyToDestination) {
    }

    private final NotifyType type;
    private final Duration timeout;
    private final HttpClient client;

    Notifier(NotifyType type, Duration timeout) {
        this.type = type;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The session's GUID, the same for every notification of one upload: what an application drops duplicates by. */
    static final String UPLOAD_ID = "X-Jbits-Upload-Id";

    /**
     * 1 for the first notification of an upload; more when a node of a farm died after it claimed the notification
     * and before it recorded the answer, so that the application may have seen this upload already.
     */
    static final String NOTIFY_ATTEMPT = "X-Jbits-Notify-Attempt";

    /**
     * Posts the upload to the application, with {@code uploadId} and {@code attempt} in the headers
     * {@value #UPLOAD_ID} and {@value #NOTIFY_ATTEMPT}, and stores its reply in {@code responseFile}.
     *
     * @throws UploadError with context REMOTE_APPLICATION when the application fails, times out or cannot be reached
     */
    Outcome notify(URI target, String originalUrl, Path requestFile, Path responseFile, String uploadId,
            int attempt) throws UploadError {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header(Headers.ORIGINAL_REQUEST_URL, originalUrl)
                .header(UPLOAD_ID, uploadId)
                .header(NOTIFY_ATTEMPT, Integer.toString(attempt));
        try {
            HttpResponse<?> response;
            if (type == NotifyType.BY_VALUE) {
                request.POST(HttpRequest.BodyPublishers.ofFile(requestFile));
                Path temp = responseFile.resolveSibling(responseFile.getFileName() + ".tmp");
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofFile(temp));
                if (isSuccess(response.statusCode())) {
                    Files.move(temp, responseFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(temp);
                }
            } else {
                request.header(Headers.REQUEST_DATA_FILE_NAME, requestFile.toString())
                        .header(Headers.RESPONSE_DATA_FILE_NAME, responseFile.toString())
                        .POST(HttpRequest.BodyPublishers.noBody());
                response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (isSuccess(response.statusCode()) && !Files.exists(responseFile)) {
                    Files.createFile(responseFile);
                }
            }
            int status = response.statusCode();
            if (!isSuccess(status)) {
                LOG.log(Level.INFO, "The application at {0} answered {1} for {2}", target, Integer.toString(status),
                        originalUrl);
                throw UploadError.application(status, Hresult.ofHttpStatus(status),
                        "the server application answered " + status);
            }
            return new Outcome(response.headers().firstValue(Headers.STATIC_RESPONSE_URL).map(String::strip)
                    .filter(s -> !s.isEmpty()).orElse(null),
                    response.headers().firstValue(Headers.COPY_FILE_TO_DESTINATION).isPresent());
        } catch (HttpTimeoutException e) {
            throw UploadError.application(408, Hresult.ERROR_TIMEOUT,
                    "the server application at " + target + " did not answer within " + timeout);
        } catch (IOException e) {
            LOG.log(Level.INFO, "Cannot notify the application at {0}: {1}", target, e.toString());
            throw UploadError.application(502, Hresult.ofHttpStatus(502),
                    "cannot reach the server application at " + target + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UploadError.application(503, Hresult.ofHttpStatus(503), "interrupted while notifying " + target);
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** Resolves the notification URL against the handler's base and appends the upload URL's query (§8.7). */
    static URI target(URI notifyUrl, URI base, String query) {
        URI resolved = notifyUrl.isAbsolute() ? notifyUrl : base.resolve(notifyUrl);
        if (query == null || query.isEmpty()) {
            return resolved;
        }
        String text = resolved.toString();
        return URI.create(text + (resolved.getRawQuery() == null ? "?" : "&") + query);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
