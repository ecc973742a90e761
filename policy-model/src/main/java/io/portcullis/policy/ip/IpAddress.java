package io.portcullis.policy.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One IPv4 or IPv6 address in two longs (IPv4 in the low 32 bits of {@code lo}). An IPv4-mapped IPv6
 * address ({@code ::ffff:1.2.3.4}) stays IPv6, as in Go's {@code netip}.
 */
public record IpAddress(boolean ipv6, long hi, long lo) {

    public IpAddress {
        if (!ipv6 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address wider than 32 bits");
        }
    }

    /**
     * Parses a dotted-quad IPv4 or an IPv6 literal (optionally ending in a dotted quad). No name
     * resolution, no zones, no leading zeros in IPv4 octets.
     *
     * @throws IllegalArgumentException when the text is no IP literal
     */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        long v4 = parseIpv4(text, text);
        return new IpAddress(false, 0, v4);
    }

    public static IpAddress of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return new IpAddress(false, 0, toLong(b, 0, 4));
        }
        return new IpAddress(true, toLong(b, 0, 8), toLong(b, 8, 8));
    }

    public int maxBits() {
        return ipv6 ? 128 : 32;
    }

    public InetAddress toInetAddress() {
        byte[] b = new byte[ipv6 ? 16 : 4];
        if (ipv6) {
            fromLong(hi, b, 0);
            fromLong(lo, b, 8);
        } else {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (lo >>> (24 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run ≥ 2 groups as ::). */
    @Override
    public String toString() {
        if (!ipv6) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = groups();
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return "::ffff:" + new IpAddress(false, 0, lo & 0xFFFF_FFFFL);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private int[] groups() {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        return g;
    }

    private static long parseIpv4(String text, String whole) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(whole);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw bad(whole);
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw bad(whole);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    private static IpAddress parseIpv6(String text) {
        int[] groups = new int[8];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw bad(text);
        }
        String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
        String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
        int[] headGroups = parseGroups(head, text, doubleColon < 0);
        int[] tailGroups = parseGroups(tail, text, true);
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            throw bad(text);
        }
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new IpAddress(true, hi, lo);
    }

    /** Colon-separated hex groups; the last may be a dotted quad (two groups) when {@code mayEndInIpv4}. */
    private static int[] parseGroups(String s, String whole, boolean mayEndInIpv4) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean endsInIpv4 = parts[n - 1].indexOf('.') >= 0;
        if (endsInIpv4 && !mayEndInIpv4) {
            throw bad(whole);
        }
        int[] out = new int[endsInIpv4 ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && endsInIpv4) {
                long v4 = parseIpv4(p, whole);
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                throw bad(whole);
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) {
                    throw bad(whole);
                }
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        return out;
    }

    private static long toLong(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void fromLong(long v, byte[] b, int off) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
}
