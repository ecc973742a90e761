package io.portcullis.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bearer tokens and their roles: who may read, who may write. */
public final class AccessRules {

    public enum Role { VIEWER, EDITOR }

    public enum Decision { ALLOW, UNAUTHENTICATED, FORBIDDEN }

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String BEARER = "bearer ";

    private record Entry(byte[] digest, Role role) {}

    private final List<Entry> entries;

    /** {@code tokens}: token → role. */
    public AccessRules(Map<String, Role> tokens) {
        this.entries = tokens.entrySet().stream().map(e -> new Entry(digest(e.getKey()), e.getValue())).toList();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public Decision decide(String method, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Decision.UNAUTHENTICATED;
        }
        Role role = roleOf(authorization.substring(BEARER.length()).trim());
        if (role == null) {
            return Decision.UNAUTHENTICATED;
        }
        return role == Role.EDITOR || READS.contains(method) ? Decision.ALLOW : Decision.FORBIDDEN;
    }

    /** Compares digests in constant time and looks at every entry, so timing tells nothing about tokens. */
    private Role roleOf(String token) {
        byte[] d = digest(token);
        Role found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), d)) {
                found = e.role();
            }
        }
        return found;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
