package io.portcullis.mesh.fqdn;

import io.portcullis.mesh.Versioned;

/**
 * A live connection a node's proxies know of (node-agent's {@code ConnectionTracker}): the local source
 * endpoint has at least one open connection to {@code ip}. Written by node-agent to
 * {@code portcullis.connections}, key {@code node/namespace/name/ip}; a tombstone once the last one closed.
 * fqdn-cache-service keeps an expired IP as a zombie while such a record is live (§4.4 "alive").
 *
 * <p>A record is a lease: node-agent rewrites it every refresh interval while the connection lasts, and a
 * reader treats it as gone once {@code reportedAt + leaseMillis} has passed, so a node-agent killed before
 * it could write the tombstones does not keep zombies forever.
 *
 * @param endpoint    the source endpoint, {@code namespace/name}
 * @param ip          the destination address, canonical text form
 * @param connections how many connections are open right now
 * @param reportedAt  epoch milliseconds of this report
 * @param leaseMillis how long the report holds without a newer one
 */
public record ConnectionRecord(int schemaVersion, String node, String endpoint, String ip, int connections,
        long reportedAt, long leaseMillis) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public static ConnectionRecord of(String node, String endpoint, String ip, int connections, long reportedAt,
                                      long leaseMillis) {
        return new ConnectionRecord(SCHEMA_VERSION, node, endpoint, ip, connections, reportedAt, leaseMillis);
    }

    public static String key(String node, String endpoint, String ip) {
        return node + "/" + endpoint + "/" + ip;
    }

    public String key() {
        return key(node, endpoint, ip);
    }

    /** Still live at {@code now} (epoch milliseconds). */
    public boolean liveAt(long now) {
        return connections > 0 && now < reportedAt + leaseMillis;
    }
}
