package io.jbits.api;

/**
 * A request that jbits refused: an unknown job, a call not allowed in the job's state, a bad argument. Carries
 * the BITS code ({@link BitsCodes#BG_E_NOT_FOUND}, {@link BitsCodes#BG_E_INVALID_STATE}, …).
 */
public class JbitsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public JbitsException(int code, String message) {
        super(message);
        this.code = code;
    }

    public JbitsException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The BITS code of the refusal. */
    public int code() {
        return code;
    }

    public static JbitsException notFound(String what) {
        return new JbitsException(BitsCodes.BG_E_NOT_FOUND, what);
    }

    public static JbitsException invalidState(String what) {
        return new JbitsException(BitsCodes.BG_E_INVALID_STATE, what);
    }

    public static JbitsException invalidArgument(String what) {
        return new JbitsException(BitsCodes.E_INVALIDARG, what);
    }
}
