package io.jbits.cli;

/**
 * The outcome of one of {@code jbits doctor}'s checks.
 *
 * @param name what was checked, one word ("files", "runtime", "state"...)
 * @param outcome passed, failed, or not applicable here (which does not fail the doctor)
 * @param detail what was found, on one line
 */
record DoctorCheck(String name, Outcome outcome, String detail) {
    /** How a check came out. */
    enum Outcome {
        PASS("ok  "), FAIL("FAIL"), NOT_APPLICABLE("n/a ");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    static DoctorCheck pass(String name, String detail) {
        return new DoctorCheck(name, Outcome.PASS, detail);
    }

    static DoctorCheck fail(String name, String detail) {
        return new DoctorCheck(name, Outcome.FAIL, detail);
    }

    static DoctorCheck notApplicable(String name, String detail) {
        return new DoctorCheck(name, Outcome.NOT_APPLICABLE, "not applicable: " + detail);
    }

    /** Whether the doctor may still exit 0: passed, or not applicable. */
    boolean fine() {
        return outcome != Outcome.FAIL;
    }

    /** The check as {@code jbits doctor} prints it. */
    String line() {
        return outcome.label + "  " + name + ": " + detail;
    }
}
