package io.jbits.api;

/**
 * A listener's registration; closing it stops delivery (an event being delivered finishes first).
 *
 * @since 0.1
 */
public interface Subscription extends AutoCloseable {

    /** Stops delivering events to the listener. Closing twice does nothing. */
    @Override
    void close();
}
