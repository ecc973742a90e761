package io.portcullis.policy.selector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP prefix for CIDR-aware label matching. Accepts {@code a.b.c.d/n}, a bare address (full
 * length) and the IPv6 label encoding where {@code :} is written {@code -}.
 */
public record CidrPrefix(byte[] address, int bits) {

    public static CidrPrefix parse(String text) {
        String t = text.indexOf(':') < 0 && text.indexOf('-') >= 0 ? text.replace('-', ':') : text;
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || Character.isDigit(addr.charAt(0)))) {
            return null; // never a host name: InetAddress would try DNS
        }
        try {
            byte[] bytes = InetAddress.getByName(addr).getAddress();
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                return null;
            }
            return new CidrPrefix(mask(bytes, bits), bits);
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /** True when {@code other} lies inside this prefix (same family, at least as long). */
    public boolean contains(CidrPrefix other) {
        if (other.address.length != address.length || other.bits < bits) {
            return false;
        }
        return Arrays.equals(mask(other.address, bits), address);
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    private static byte[] mask(byte[] in, int bits) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrPrefix p && bits == p.bits && Arrays.equals(address, p.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + bits;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
