/**
 * The least a command that is a JVM takes: it starts, prints one line and ends. bench/cli-latency.sh runs it from a
 * jar with an AOT cache of its own (made by one run first) and a short-lived client's flags, beside
 * {@code jbits version}, which does little more.
 */
public final class StartFloor {
    private StartFloor() {
    }

    public static void main(String[] args) {
        System.out.println("started");
    }
}
