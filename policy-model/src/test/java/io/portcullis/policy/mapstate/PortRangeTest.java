package io.portcullis.policy.mapstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.mapstate.PortRanges.MaskedPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/policy/portrange_test.go TestPortRange}: (start, end) → the minimal set of
 * prefix-masked ports. Cilium writes each as (port, 16-bit mask); ours carries the prefix length, which
 * is the mask's bit count. As in Cilium, the result is sorted by port before comparing, and a proper
 * range ({@code start <= end}) must be covered exactly, without gaps or overlaps.
 */
class PortRangeTest {

    /** Cilium's (port, mask) pairs, flattened. */
    static Arguments row(int start, int end, int... portMask) {
        List<MaskedPort> expected = new ArrayList<>();
        for (int i = 0; i < portMask.length; i += 2) {
            expected.add(new MaskedPort(portMask[i], Integer.bitCount(portMask[i + 1])));
        }
        return Arguments.of(start, end, expected);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // worst case
                row(1, 65534,
                        0x1, 0xffff, 0x2, 0xfffe, 0x4, 0xfffc, 0x8, 0xfff8, 0x10, 0xfff0, 0x20, 0xffe0, 0x40, 0xffc0,
                        0x80, 0xff80, 0x100, 0xff00, 0x200, 0xfe00, 0x400, 0xfc00, 0x800, 0xf800, 0x1000, 0xf000,
                        0x2000, 0xe000, 0x4000, 0xc000, 0x8000, 0xc000, 0xc000, 0xe000, 0xe000, 0xf000, 0xf000, 0xf800,
                        0xf800, 0xfc00, 0xfc00, 0xfe00, 0xfe00, 0xff00, 0xff00, 0xff80, 0xff80, 0xffc0, 0xffc0, 0xffe0,
                        0xffe0, 0xfff0, 0xfff0, 0xfff8, 0xfff8, 0xfffc, 0xfffc, 0xfffe, 0xfffe, 0xffff),
                row(1, 1023,
                        0x1, 0xffff, 0x2, 0xfffe, 0x4, 0xfffc, 0x8, 0xfff8, 0x10, 0xfff0, 0x20, 0xffe0, 0x40, 0xffc0,
                        0x80, 0xff80, 0x100, 0xff00, 0x200, 0xfe00),
                row(0, 1023, 0, 0xfc00),
                // a typical large case
                row(1024, 65535, 0x400, 0xfc00, 0x800, 0xf800, 0x1000, 0xf000, 0x2000, 0xe000, 0x4000, 0xc000, 0x8000, 0x8000),
                // another typical large case
                row(10000, 20000, 0x2710, 0xfff0, 0x2720, 0xffe0, 0x2740, 0xffc0, 0x2780, 0xff80, 0x2800, 0xf800,
                        0x3000, 0xf000, 0x4000, 0xf800, 0x4800, 0xfc00, 0x4c00, 0xfe00, 0x4e00, 0xffe0, 0x4e20, 0xffff),
                row(1000, 1999, 0x3e8, 0xfff8, 0x3f0, 0xfff0, 0x400, 0xfe00, 0x600, 0xff00, 0x700, 0xff80, 0x780, 0xffc0,
                        0x7c0, 0xfff0),
                row(0, 1, 0, 0xfffe),
                row(16, 31, 0x10, 0xfff0),
                row(0xff00, 0xffff, 0xff00, 0xff00),
                row(0, 0xffff, 0, 0),
                row(1, 7, 0x1, 0xffff, 0x2, 0xfffe, 0x4, 0xfffc),
                row(0, 7, 0x0, 0xfff8),
                row(5, 10, 0b101, 0xffff, 0b110, 0xfffe, 0b1000, 0xfffe, 0b1010, 0xffff),
                row(0, 16, 0, 0xfff0, 0b10000, 0xffff),
                row(16, 391, 0b10000, 0xfff0, 0b100000, 0xffe0, 0b1000000, 0xffc0, 0b10000000, 0xff80,
                        0b100000000, 0xff80, 0b110000000, 0xfff8),
                row(22, 23, 0b10110, 0xfffe),
                row(23, 24, 0b10111, 0xffff, 0b11000, 0xffff),
                row(0, 0x7fff, 0, 0x8000),
                row(256, 256, 0x100, 0xffff),
                row(65535, 65535, 65535, 0xffff),
                row(32767, 32768, 0x7fff, 0xffff, 0x8000, 0xffff),
                row(0x5555, 0x55d5, 0x5555, 0xffff, 0x5556, 0xfffe, 0x5558, 0xfff8, 0x5560, 0xffe0, 0x5580, 0xffc0,
                        0x55c0, 0xfff0, 0x55d0, 0xfffc, 0x55d4, 0xfffe),
                // all ports
                row(0, 0, 0, 0),
                row(0, 65535, 0, 0),
                // valid: end 0 defines no range
                row(65535, 0, 0xffff, 0xffff),
                // invalid start > end: only the start port (Cilium: "ambiguous otherwise")
                row(65535, 1, 0xffff, 0xffff),
                row(65530, 5, 0xfffa, 0xffff),
                row(10, 5, 0xa, 0xffff));
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("rows")
    void maskedPortsMatchCilium(int start, int end, List<MaskedPort> expected) {
        List<MaskedPort> got = new ArrayList<>(PortRanges.toMaskedPorts(start, end));
        got.sort(Comparator.comparingInt(MaskedPort::port));
        assertThat(got).isEqualTo(expected);
        if (start <= end && !(start == 0 && end == 0)) {
            // continuous and non-overlapping, covering exactly [start, end]
            int next = start;
            for (MaskedPort mp : got) {
                assertThat(mp.port()).isEqualTo(next);
                next = mp.port() + (1 << (16 - mp.prefixLen()));
            }
            assertThat(next - 1).isEqualTo(end);
        }
    }
}
