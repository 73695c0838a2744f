package io.jbits.transport.smb;

import com.hierynomus.smbj.auth.AuthenticationContext;
import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.JobOptions;
import io.jbits.spi.Secret;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Who a job logs on to an SMB server as: the job's {@code server} credentials (NTLM first, then Negotiate, Basic,
 * Digest: SMB has one logon whatever scheme the owner filed it under), else anonymous, then guest, where the server
 * allows them.
 *
 * @param user the user name without its domain; null for anonymous/guest
 * @param domain the domain ("" when none was given)
 * @param secret the password
 */
record SmbLogon(String user, String domain, Secret secret) {
    private static final AuthScheme[] PREFERENCE = {AuthScheme.NTLM, AuthScheme.NEGOTIATE, AuthScheme.BASIC,
            AuthScheme.DIGEST};
    static final SmbLogon ANONYMOUS = new SmbLogon(null, "", Secret.empty());

    /** The logon a job's options ask for. */
    static SmbLogon of(String optionsJson) {
        List<CredentialSettings.Login> found = CredentialSettings.from(JobOptions.parse(optionsJson))
                .all(AuthTarget.SERVER, PREFERENCE);
        if (found.isEmpty()) {
            return ANONYMOUS;
        }
        CredentialSettings.Login c = found.getFirst();
        String user = c.user();
        String domain = "";
        int backslash = user.indexOf('\\');
        int at = user.lastIndexOf('@');
        if (backslash > 0) {
            domain = user.substring(0, backslash);
            user = user.substring(backslash + 1);
        } else if (at > 0) {
            domain = user.substring(at + 1);
            user = user.substring(0, at);
        }
        return new SmbLogon(user, domain, c.secret());
    }

    boolean anonymous() {
        return user == null;
    }

    /** What smbj tries, in order: the credentials; or anonymous, then guest. */
    List<AuthenticationContext> contexts() {
        if (anonymous()) {
            return List.of(AuthenticationContext.anonymous(), AuthenticationContext.guest());
        }
        return List.of(new AuthenticationContext(user, secret.reveal(), domain));
    }

    /** Who this is, for messages: {@code DOMAIN\\user}, {@code user} or "anonymous/guest". */
    String who() {
        return anonymous() ? "anonymous/guest" : domain.isEmpty() ? user : domain + "\\" + user;
    }

    /**
     * What tells two logons apart in the connection table: the user and a digest of the password, so that a job whose
     * password changed never reuses a session opened with the old one, and the table holds no password in clear.
     */
    String identity() {
        if (anonymous()) {
            return "";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            char[] chars = secret.reveal();
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            Secret.wipe(chars);
            sha.update(bytes);
            return who() + "/" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The logon without its password. */
    @Override
    public String toString() {
        return "SmbLogon[" + who() + "]";
    }
}
