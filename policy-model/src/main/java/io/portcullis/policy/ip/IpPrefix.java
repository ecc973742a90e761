package io.portcullis.policy.ip;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix with its host bits cleared, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}.
 * The address is held in two longs ({@code hi}, {@code lo}); IPv4 uses the low 32 bits of {@code lo}. So
 * prefixes are cheap, immutable hash keys — the ipcache keys its tables by them.
 *
 * <p>Parsing never resolves names: text that is no IP literal is rejected.
 */
public record IpPrefix(boolean ipv6, long hi, long lo, int bits) implements Comparable<IpPrefix> {

    public IpPrefix {
        int max = ipv6 ? 128 : 32;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
        }
        if (!ipv6 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address wider than 32 bits");
        }
        long[] masked = mask(ipv6, hi, lo, bits);
        hi = masked[0];
        lo = masked[1];
    }

    /**
     * Parses {@code addr} or {@code addr/bits}. Without {@code /} the prefix is the full address length
     * ({@code /32} or {@code /128}), as Cilium treats a bare IP in a CIDR rule.
     *
     * @throws IllegalArgumentException when the text is no IP address or prefix
     */
    public static IpPrefix parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP prefix");
        }
        int slash = text.lastIndexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        IpAddress ip = IpAddress.parse(addr);
        int bits = ip.ipv6() ? 128 : 32;
        if (slash >= 0) {
            bits = parseBits(text, text.substring(slash + 1), bits);
        }
        return new IpPrefix(ip.ipv6(), ip.hi(), ip.lo(), bits);
    }

    /** The single-address prefix ({@code /32} or {@code /128}) of an address. */
    public static IpPrefix host(IpAddress ip) {
        return new IpPrefix(ip.ipv6(), ip.hi(), ip.lo(), ip.maxBits());
    }

    public static IpPrefix of(InetAddress address, int bits) {
        IpAddress ip = IpAddress.of(address);
        return new IpPrefix(ip.ipv6(), ip.hi(), ip.lo(), bits);
    }

    public static IpPrefix of(InetAddress address) {
        return host(IpAddress.of(address));
    }

    private static int parseBits(String whole, String digits, int max) {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            throw new IllegalArgumentException("bad prefix length in " + whole);
        }
        int bits = Integer.parseInt(digits);
        if (bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " too long in " + whole);
        }
        return bits;
    }

    static long[] mask(boolean ipv6, long hi, long lo, int bits) {
        if (!ipv6) {
            long m = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
            return new long[] {0, lo & m};
        }
        if (bits == 0) {
            return new long[] {0, 0};
        }
        if (bits <= 64) {
            return new long[] {hi & (-1L << (64 - bits)), 0};
        }
        return new long[] {hi, bits == 128 ? lo : lo & (-1L << (128 - bits))};
    }

    /** 32 for IPv4, 128 for IPv6. */
    public int maxBits() {
        return ipv6 ? 128 : 32;
    }

    /** The first address of the prefix. */
    public IpAddress address() {
        return new IpAddress(ipv6, hi, lo);
    }

    /** This prefix shortened to {@code shorterBits} (the enclosing prefix of that length). */
    public IpPrefix truncate(int shorterBits) {
        if (shorterBits > bits) {
            throw new IllegalArgumentException("cannot lengthen /" + bits + " to /" + shorterBits);
        }
        return new IpPrefix(ipv6, hi, lo, shorterBits);
    }

    /** True when {@code other} lies inside this prefix (same family, not shorter, same leading bits). */
    public boolean contains(IpPrefix other) {
        return ipv6 == other.ipv6 && bits <= other.bits && equals(other.truncate(bits));
    }

    public boolean contains(IpAddress ip) {
        return contains(host(ip));
    }

    /** {@code addr/bits} with the canonical address text, e.g. {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return address() + "/" + bits;
    }

    /** IPv4 before IPv6, then by address, then shorter first. */
    @Override
    public int compareTo(IpPrefix o) {
        int c = Boolean.compare(ipv6, o.ipv6);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(bits, o.bits);
    }
}
