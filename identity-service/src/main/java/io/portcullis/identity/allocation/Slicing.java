package io.portcullis.identity.allocation;

import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which ownership slice (a partition of the owners topic) a key belongs to. Every instance, every
 * version and every restart must agree, so the hash is SHA-256 of the UTF-8 text (not
 * {@code hashCode}), first four bytes, modulo the slice count.
 *
 * <p>Label sets are hashed through their canonical text ({@link #labelsKey}): the sorted labels,
 * {@code source:key=value} joined by {@code ;}, so the same set always lands in the same slice whatever
 * order its labels arrived in. Immutable and thread-safe.
 */
public record Slicing(int slices) {

    public Slicing {
        if (slices < 1) {
            throw new IllegalArgumentException("at least one slice, not " + slices);
        }
    }

    public int sliceOf(String key) {
        byte[] d = sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        int h = ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        return Math.floorMod(h, slices);
    }

    public int sliceOf(Labels labels) {
        return sliceOf(labelsKey(labels));
    }

    /** The canonical text of a label set: its sorted labels joined by {@code ;}. */
    public static String labelsKey(Labels labels) {
        StringBuilder b = new StringBuilder();
        for (Label l : labels) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(l);
        }
        return b.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
