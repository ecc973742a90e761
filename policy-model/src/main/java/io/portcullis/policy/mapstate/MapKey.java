package io.portcullis.policy.mapstate;

/**
 * A policy map key: peer identity (0 = any), direction, protocol ({@link Protocol#ANY} = all, port
 * ignored) and a port prefix: {@code prefixLen} 16 = exactly {@code port}, 0 = every port, in between
 * a masked range as produced by {@link PortRanges}.
 */
public record MapKey(long identity, Direction direction, Protocol protocol, int port, int prefixLen)
        implements Comparable<MapKey> {

    public MapKey {
        if (protocol == Protocol.ANY) {
            port = 0;
            prefixLen = 0;
        }
        port = prefixLen == 0 ? 0 : port & (0xffff << (16 - prefixLen)) & 0xffff;
    }

    public static MapKey allPorts(long identity, Direction d, Protocol p) {
        return new MapKey(identity, d, p, 0, 0);
    }

    public static MapKey exact(long identity, Direction d, Protocol p, int port) {
        return new MapKey(identity, d, p, port, port == 0 ? 0 : 16);
    }

    /** True when this key's protocol/port covers {@code other}'s (broader or equal), ignoring identity. */
    public boolean coversPorts(MapKey other) {
        if (direction != other.direction) {
            return false;
        }
        if (protocol == Protocol.ANY) {
            return true;
        }
        if (protocol != other.protocol || prefixLen > other.prefixLen) {
            return false;
        }
        int mask = prefixLen == 0 ? 0 : (0xffff << (16 - prefixLen)) & 0xffff;
        return (other.port & mask) == port;
    }

    /** Broader or equal: identity 0 or the same identity, and covering protocol/port. */
    public boolean covers(MapKey other) {
        return (identity == 0 || identity == other.identity) && coversPorts(other);
    }

    /** True when a packet (protocol, port) falls under this key's protocol/port part. */
    public boolean matchesPort(Protocol p, int dport) {
        return coversPorts(new MapKey(identity, direction, p, dport, p == Protocol.ANY ? 0 : 16));
    }

    /** Specificity for tie-breaks: protocol given counts, then the port prefix length. */
    public int specificity() {
        return protocol == Protocol.ANY ? 0 : 1 + prefixLen;
    }

    public MapKey withIdentity(long id) {
        return new MapKey(id, direction, protocol, port, prefixLen);
    }

    @Override
    public int compareTo(MapKey o) {
        int c = Long.compare(identity, o.identity);
        if (c == 0) c = direction.compareTo(o.direction);
        if (c == 0) c = Integer.compare(protocol.number(), o.protocol.number());
        if (c == 0) c = Integer.compare(port, o.port);
        if (c == 0) c = Integer.compare(prefixLen, o.prefixLen);
        return c;
    }

    @Override
    public String toString() {
        String ports = protocol == Protocol.ANY ? "ANY"
                : prefixLen == 0 ? "*/" + protocol
                : prefixLen == 16 ? port + "/" + protocol
                : port + "-" + (port | (0xffff >>> prefixLen)) + "/" + protocol;
        return "{" + (identity == 0 ? "*" : String.valueOf(identity)) + " " + direction.lower() + " " + ports + "}";
    }
}
