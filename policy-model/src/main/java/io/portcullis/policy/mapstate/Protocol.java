package io.portcullis.policy.mapstate;

import java.util.List;
import java.util.Locale;

/** IP protocols as policy map "next header" numbers; {@link #ANY} (0) is every protocol. */
public enum Protocol {
    ANY(0), ICMP(1), TCP(6), UDP(17), ICMPV6(58), SCTP(132);

    /** What {@code protocol: ANY} with a port expands to (§3.1). */
    public static final List<Protocol> PORT_PROTOCOLS = List.of(TCP, UDP, SCTP);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** A user's protocol string (case-insensitive, empty = ANY); null when unknown. */
    public static Protocol parse(String text) {
        if (text == null || text.isEmpty()) {
            return ANY;
        }
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static Protocol byNumber(int n) {
        for (Protocol p : values()) {
            if (p.number == n) {
                return p;
            }
        }
        return null;
    }
}
