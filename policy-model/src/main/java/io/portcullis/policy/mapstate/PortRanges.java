package io.portcullis.policy.mapstate;

import java.util.ArrayList;
import java.util.List;

/** Port ranges as the minimal set of prefix-masked ports ({@code pkg/policy/portrange.go}). */
public final class PortRanges {

    /** A port and its prefix length (16 = exact). */
    public record MaskedPort(int port, int prefixLen) {}

    private PortRanges() {}

    /** [start, end] inclusive → masked ports; {@code end <= start} means the single port. 0..65535 → all. */
    public static List<MaskedPort> toMaskedPorts(int start, int end) {
        if (end <= start) {
            return List.of(new MaskedPort(start, start == 0 ? 0 : 16));
        }
        List<MaskedPort> out = new ArrayList<>();
        long s = start;
        while (s <= end) {
            int size = 0; // largest aligned block at s that fits in [s, end]
            while (size < 16 && (s & ((1L << (size + 1)) - 1)) == 0 && s + (1L << (size + 1)) - 1 <= end) {
                size++;
            }
            out.add(new MaskedPort((int) s, 16 - size));
            s += 1L << size;
        }
        return out;
    }
}
