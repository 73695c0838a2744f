package io.jbits.transport.http.upload;

import io.jbits.spi.UploadProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records what an upload reports, and asks it to stop after a number of Acks. */
final class RecordingProgress implements UploadProgress {
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<Long> acks = new CopyOnWriteArrayList<>();
    private final int stopAfterAcks;
    private final Consumer<Long> onAck;
    private final Consumer<SessionState> onSession;

    RecordingProgress() {
        this(Integer.MAX_VALUE, bytes -> { }, state -> { });
    }

    RecordingProgress(int stopAfterAcks) {
        this(stopAfterAcks, bytes -> { }, state -> { });
    }

    RecordingProgress(int stopAfterAcks, Consumer<Long> onAck, Consumer<SessionState> onSession) {
        this.stopAfterAcks = stopAfterAcks;
        this.onAck = onAck;
        this.onSession = onSession;
    }

    @Override
    public void sessionChanged(String sessionState) {
        states.add(sessionState);
        onSession.accept(SessionState.parse(sessionState));
    }

    @Override
    public void acknowledged(long bytes) {
        acks.add(bytes);
        onAck.accept(bytes);
    }

    @Override
    public boolean stopRequested() {
        return acks.size() >= stopAfterAcks;
    }

    /** The last state reported, or "{}". */
    String lastState() {
        return states.isEmpty() ? "{}" : states.get(states.size() - 1);
    }

    /** The distinct session ids reported, in order. */
    List<String> sessionIds() {
        return states.stream().map(SessionState::parse).map(SessionState::sessionId).distinct().toList();
    }

    long lastAck() {
        return acks.isEmpty() ? -1 : acks.get(acks.size() - 1);
    }
}
