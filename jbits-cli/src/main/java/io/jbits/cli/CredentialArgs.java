package io.jbits.cli;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --credentials TARGET SCHEME USER} options of {@code set} and {@code transfer}, and where the secret
 * comes from: a prompt without echo, standard input ({@code --password-stdin}) or a file ({@code --password-file}).
 * Never from the command line, where every user of the machine can read it in the process list.
 */
final class CredentialArgs {
    /** The longest secret read (BITS's limit, in UTF-8 bytes at most four per character, plus a line end). */
    private static final int MAX_SECRET_BYTES = Credentials.MAX_SECRET_LENGTH * 4 + 2;

    @Option(names = "--credentials", arity = "3", hideParamSyntax = true, paramLabel = "TARGET SCHEME USER",
            description = "credentials for the server or proxy (TARGET server|proxy, SCHEME basic|digest|ntlm|"
                    + "negotiate, USER may be DOMAIN\\user or user@domain); the password is prompted for, or read "
                    + "with --password-stdin or --password-file, never given on the command line")
    List<String> credentials;

    @Option(names = "--password-stdin", description = "read the password of --credentials from standard input")
    boolean passwordStdin;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the password of --credentials from FILE (one trailing line end is dropped)")
    String passwordFile;

    /** True when credentials were asked for. */
    boolean given() {
        return credentials != null;
    }

    /** True when the password comes from standard input. */
    boolean readsStandardInput() {
        return given() && passwordStdin;
    }

    /** Refuses a password source without {@code --credentials}, and two sources at once. */
    void check(CommandSpec spec) {
        if (!given() && (passwordStdin || passwordFile != null)) {
            throw usage(spec, (passwordStdin ? "--password-stdin" : "--password-file") + " goes with --credentials");
        }
        if (passwordStdin && passwordFile != null) {
            throw usage(spec, "--password-stdin and --password-file exclude each other");
        }
        if (given()) {
            target(spec);
            scheme(spec);
        }
    }

    /** The credentials asked for, with the secret read from its source; the caller wipes them once used. */
    Credentials read(Cli cli, CommandSpec spec) throws IOException {
        check(spec);
        AuthTarget target = target(spec);
        AuthScheme scheme = scheme(spec);
        String user = credentials.get(2);
        char[] secret;
        if (passwordFile != null) {
            secret = fromBytes(readBounded(Files.newInputStream(cli.absolute(passwordFile)), "--password-file "
                    + passwordFile));
        } else if (passwordStdin) {
            secret = fromBytes(readBounded(cli.in(), "standard input"));
        } else {
            secret = prompt(user, target, scheme);
        }
        return new Credentials(target, scheme, user, secret);
    }

    private AuthTarget target(CommandSpec spec) {
        try {
            return AuthTarget.parse(credentials.get(0));
        } catch (JbitsException e) {
            throw usage(spec, e.getMessage());
        }
    }

    private AuthScheme scheme(CommandSpec spec) {
        try {
            return AuthScheme.parse(credentials.get(1));
        } catch (JbitsException e) {
            throw usage(spec, e.getMessage());
        }
    }

    private static char[] prompt(String user, AuthTarget target, AuthScheme scheme) {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new CliFailure(Main.EXIT_USAGE, "no terminal to ask for the password: give it with "
                    + "--password-stdin or --password-file");
        }
        char[] secret = console.readPassword("Password for %s (%s %s): ", user, target.label(), scheme.label());
        if (secret == null) {
            throw new CliFailure(Main.EXIT_USAGE, "no password given (end of input)");
        }
        return secret;
    }

    private static byte[] readBounded(InputStream in, String what) throws IOException {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                buffer.write(chunk, 0, n);
                if (buffer.size() > MAX_SECRET_BYTES) {
                    throw new CliFailure(Main.EXIT_USAGE, "the password from " + what + " is longer than "
                            + Credentials.MAX_SECRET_LENGTH + " characters");
                }
            }
            Arrays.fill(chunk, (byte) 0);
            return buffer.toByteArray();
        }
    }

    /** UTF-8 bytes as characters, without one trailing line end; the bytes are wiped. */
    private static char[] fromBytes(byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            Arrays.fill(chars.array(), '\0');
            return secret;
        } catch (CharacterCodingException e) {
            throw new CliFailure(Main.EXIT_USAGE, "the password is not valid UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static RuntimeException usage(CommandSpec spec, String message) {
        return PicocliLine.usage(spec, message);
    }
}
