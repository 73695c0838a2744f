package io.jbits.core;

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

    /** True once the engine wants the upload to stop (suspend, cancel, shutdown): stop before the next packet. */
    boolean stopRequested();
}
