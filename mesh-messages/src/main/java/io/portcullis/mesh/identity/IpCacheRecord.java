package io.portcullis.mesh.identity;

import io.portcullis.mesh.Versioned;

/**
 * One ipcache entry; key: the prefix ({@code 10.0.0.0/8}, {@code 127.10.0.2/32}). Removal is a tombstone.
 *
 * @param source who put it there: {@code endpoint}, {@code cidr}, {@code fqdn}
 */
public record IpCacheRecord(int schemaVersion, String prefix, long identity, String source) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public static IpCacheRecord of(String prefix, long identity, String source) {
        return new IpCacheRecord(SCHEMA_VERSION, prefix, identity, source);
    }
}
