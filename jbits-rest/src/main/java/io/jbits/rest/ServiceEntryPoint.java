package io.jbits.rest;

/**
 * The service's entry point: the class the launcher starts as {@code java -cp … <class>} when the daemon is on the
 * class path. The daemon's tests check that the class exists and has a {@code main}.
 */
public final class ServiceEntryPoint {
    /** The daemon's main class. */
    public static final String MAIN_CLASS = "io.jbits.daemon.Main";

    private ServiceEntryPoint() {
    }

    /** The class file of {@link #MAIN_CLASS} as a class loader resource, to look for it without loading it. */
    public static String classResource() {
        return MAIN_CLASS.replace('.', '/') + ".class";
    }
}
