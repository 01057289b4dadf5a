package io.spotlight.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * What opens a protected path: a bearer token ({@code Authorization: Bearer <token>}) and/or a
 * basic login ({@code Authorization: Basic base64(user:password)}, which browsers ask for).
 * Compared in constant time, so a response's timing tells nothing about how much was right.
 */
public final class Credentials {

    private final byte[] token;
    private final byte[] basic;

    /** Empty strings mean "not set": a token, a basic login (user and password), both, or neither. */
    public Credentials(String token, String user, String password) {
        this.token = token.isEmpty() ? null : digest(token);
        this.basic = password.isEmpty() ? null : digest(user + ":" + password);
    }

    public static Credentials none() {
        return new Credentials("", "", "");
    }

    /** Whether anything is required at all. */
    public boolean required() {
        return token != null || basic != null;
    }

    /** Whether a browser should be asked for a basic login (a token alone cannot be typed into its prompt). */
    public boolean acceptsBasic() {
        return basic != null;
    }

    /** Whether the request's Authorization header holds a valid token or login; true when nothing is required. */
    public boolean accept(String authorization) {
        if (!required()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
        String value = authorization.substring(space + 1).trim();
        if (scheme.equals("bearer") && token != null) {
            return MessageDigest.isEqual(token, digest(value));
        }
        if (scheme.equals("basic") && basic != null) {
            try {
                return MessageDigest.isEqual(basic, digest(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return false;
    }

    /** Equal-length digests, so comparing them takes the same time whatever was sent. */
    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
