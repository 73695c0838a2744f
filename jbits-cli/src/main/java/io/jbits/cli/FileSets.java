package io.jbits.cli;

import io.jbits.api.NewFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file set as {@code bitsadmin /addfileset} reads one: a text file with one {@code REMOTE LOCAL} pair per line,
 * separated by spaces or tabs, blank lines and {@code #} comments skipped. The local name is the rest of the line,
 * so it may hold spaces; either part may be put in double quotes (a UNC name with a space). A file made on Windows
 * reads the same: a byte-order mark and CR-LF line ends are taken off. {@code -} reads standard input.
 *
 * <p>A set of thousands of files belongs in a file rather than on the command line: a JVM takes each argument
 * through its launcher, and a system caps the length of a command line.
 */
final class FileSets {
    private FileSets() {
    }

    /** The set {@code source} names ({@code -}: standard input), local paths made absolute; a bad one is refused. */
    static List<NewFile> read(Cli cli, String source) {
        List<String[]> pairs;
        boolean stdin = source.equals("-");
        String name = stdin ? "standard input" : source;
        try (Reader in = stdin ? new InputStreamReader(cli.in(), decoder())
                : new InputStreamReader(Files.newInputStream(cli.absolute(source)), decoder())) {
            pairs = parse(new BufferedReader(in), name);
        } catch (NoSuchFileException e) {
            throw new CliFailure(Main.EXIT_USAGE, "no file set " + name + " (no such file)");
        } catch (CharacterCodingException e) {
            throw new CliFailure(Main.EXIT_USAGE, "file set " + name + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CliFailure(Main.EXIT_USAGE, "cannot read file set " + name + ": " + e.getMessage());
        }
        List<NewFile> files = new ArrayList<>(pairs.size());
        for (String[] p : pairs) {
            files.add(new NewFile(p[0], cli.absoluteName(p[1])));
        }
        return files;
    }

    /**
     * The pairs of a file set, as written; {@code name} is how messages name the set. Refuses a line without a
     * local name, an unclosed quote and a set with no pair, naming the line.
     */
    static List<String[]> parse(BufferedReader in, String name) throws IOException {
        List<String[]> pairs = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String where = name + " line " + number;
            int[] end = new int[1];
            String remote = token(text, 0, end, where);
            if (end[0] < text.length() && !blank(text.charAt(end[0]))) {
                throw new CliFailure(Main.EXIT_USAGE, where + ": no space after the quoted remote name");
            }
            String rest = text.substring(end[0]).strip();
            if (rest.isEmpty()) {
                throw new CliFailure(Main.EXIT_USAGE, where + ": '" + remote + "' has no local name (each line is "
                        + "REMOTE_URL LOCAL_PATH)");
            }
            String local = rest;
            if (rest.charAt(0) == '"') {
                local = token(rest, 0, end, where);
                if (end[0] < rest.length()) {
                    throw new CliFailure(Main.EXIT_USAGE, where + ": text after the quoted local name");
                }
            }
            if (remote.isEmpty() || local.isEmpty()) {
                throw new CliFailure(Main.EXIT_USAGE, where + ": an empty name");
            }
            pairs.add(new String[] {remote, local});
        }
        if (pairs.isEmpty()) {
            throw new CliFailure(Main.EXIT_USAGE, "file set " + name + " names no file (each line is REMOTE_URL "
                    + "LOCAL_PATH)");
        }
        return pairs;
    }

    /** The token at {@code from}: a quoted string without its quotes, else a run of non-blanks; its end in end[0]. */
    private static String token(String text, int from, int[] end, String where) {
        if (text.charAt(from) == '"') {
            int close = text.indexOf('"', from + 1);
            if (close < 0) {
                throw new CliFailure(Main.EXIT_USAGE, where + ": a quote that is not closed");
            }
            end[0] = close + 1;
            return text.substring(from + 1, close);
        }
        int i = from;
        while (i < text.length() && !blank(text.charAt(i))) {
            i++;
        }
        end[0] = i;
        return text.substring(from, i);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
