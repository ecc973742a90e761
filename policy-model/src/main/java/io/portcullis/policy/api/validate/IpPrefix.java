package io.portcullis.policy.api.validate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP prefix as Go's {@code netip.ParsePrefix} reads it: {@code addr/bits} with a strict dotted-quad
 * IPv4 (no leading zeros) or an IPv6 address without zone, and decimal bits within the family's length.
 */
record IpPrefix(byte[] address, int bits) {

    private static final Pattern BITS = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    /** The prefix, or {@code null} when {@code text} is not one. */
    static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        byte[] addr = parseAddress(text.substring(0, slash));
        String bits = text.substring(slash + 1);
        if (addr == null || !BITS.matcher(bits).matches()) {
            return null;
        }
        int n = Integer.parseInt(bits);
        return n <= addr.length * 8 ? new IpPrefix(addr, n) : null;
    }

    /** 4 or 16 bytes, or {@code null}; never a DNS lookup. */
    static byte[] parseAddress(String text) {
        if (text.contains(":")) {
            if (text.contains("%") || text.contains("[") || text.contains("]")) {
                return null;
            }
            try {
                // Brackets make InetAddress treat the text as an IPv6 literal, never a host name.
                byte[] a = InetAddress.getByName("[" + text + "]").getAddress();
                return a.length == 16 ? a : mapped(a);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!OCTET.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            a[i] = (byte) Integer.parseInt(parts[i]);
        }
        return a;
    }

    /** Java folds {@code ::ffff:a.b.c.d} to IPv4; Go keeps it IPv6. */
    private static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    boolean isV4() {
        return address.length == 4;
    }

    /** Same family and the first {@code bits} bits equal ({@code netip.Prefix.Contains}). */
    boolean contains(byte[] other) {
        if (other.length != address.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (other[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
