package io.jbits.spi;

/** What an upload reports while it runs, and how the engine tells it to stop. */
public interface UploadProgress {

    /**
     * The session changed (created, moved to another host, replaced after the server lost it). The engine makes
     * it durable before this returns, so a crash right after continues the same session.
     */
    void sessionChanged(String sessionState);

    /**
     * The server now holds the first {@code bytes} bytes. Throws {@link TransferFailure} when the engine wants the
     * upload to end with an error (the local file changed under it).
     */
    void acknowledged(long bytes) throws TransferFailure;

    /**
     * Waits until request body bytes may be sent under the job's rate limits, and returns how many (from 1 to
     * {@code bytes}); 0 when the upload should stop instead. Called before each buffer of a body is written.
     */
    default int pace(int bytes) {
        return bytes;
    }

    /** True once the engine wants the upload to stop (suspend, cancel, shutdown): stop before the next packet. */
    boolean stopRequested();
}
