package io.jbits.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON the session state needs: one flat object whose values are strings, integers, booleans or null.
 * Hand-written so that this module depends on no JSON library; anything else (nesting, arrays, fractions) is
 * refused with the offending position. Session state of the upload client and {@link JobOptions} use it.
 */
public final class FlatJson {
    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * Parses one flat object into its members in order: {@link String}, {@link Long}, {@link Boolean} or null.
     *
     * @throws IllegalArgumentException when {@code text} is not such an object
     */
    public static Map<String, Object> parse(String text) {
        FlatJson p = new FlatJson(text);
        Map<String, Object> members = new LinkedHashMap<>();
        p.expect('{');
        if (!p.skipIf('}')) {
            do {
                String name = p.string();
                p.expect(':');
                members.put(name, p.value());
            } while (p.skipIf(','));
            p.expect('}');
        }
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("text after the object");
        }
        return members;
    }

    /** Writes a flat object: each value a {@link String}, a {@link Long} (or other integer), a {@link Boolean} or null. */
    public static String write(Map<String, ?> members) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, ?> m : members.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            appendString(out, m.getKey());
            out.append(':');
            Object v = m.getValue();
            if (v == null) {
                out.append("null");
            } else if (v instanceof String s) {
                appendString(out, s);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
                out.append(v);
            } else {
                throw new IllegalArgumentException("not a flat JSON value: " + v.getClass().getName());
            }
        }
        return out.append('}').toString();
    }

    /** Appends {@code value} as a JSON string literal. */
    public static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        if (c == '"') {
            return string();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        int start = pos;
        if (c == '-') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("a string, an integer, true, false or null");
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("four hex digits");
                    }
                    pos += 4;
                }
                default -> throw error("an escape character");
            }
        }
        throw error("the end of a string");
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private boolean skipIf(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("expected " + expected + " at character " + pos + " of '" + text + "'");
    }
}
