package io.portcullis.policy.api;

import java.util.regex.Pattern;

/**
 * What a {@code port:} string means (Cilium {@code PortRule.sanitize}): an IANA service name is a named
 * port (lower-cased); anything else is parsed as a Go base-0 unsigned 16-bit literal, so {@code "010"}
 * is 8, {@code "0x1F"}… is a <em>name</em> because it contains a letter, and {@code "1_000"} is 1000.
 */
public sealed interface PortSpec {

    record Numeric(int port) implements PortSpec {}

    record Named(String name) implements PortSpec {}

    record Invalid(String message) implements PortSpec {}

    /** {@code pkg/iana/svcname.go}: 1–15 chars, letters/digits/single hyphens, at least one letter. */
    Pattern IANA_SERVICE_NAME = Pattern.compile("^([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$");

    static boolean isServiceName(String s) {
        return s.length() >= 1 && s.length() <= 15 && IANA_SERVICE_NAME.matcher(s).matches();
    }

    static PortSpec parse(String port) {
        if (port == null || port.isEmpty()) {
            return new Invalid("Port must be specified");
        }
        if (isServiceName(port)) {
            return new Named(port.toLowerCase(java.util.Locale.ROOT));
        }
        Long v = parseGoUint(port);
        if (v == null || v > 65535) {
            return new Invalid("unable to parse port \"" + port + "\": must be a number 0-65535 or a port name");
        }
        return new Numeric(v.intValue());
    }

    /** Go's {@code strconv.ParseUint(s, 0, 64)}: 0x/0o/0b prefixes, leading 0 = octal, '_' between digits. */
    private static Long parseGoUint(String s) {
        int radix = 10;
        String digits = s;
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        boolean prefixed = false;
        if (lower.startsWith("0x")) {
            radix = 16; digits = s.substring(2); prefixed = true;
        } else if (lower.startsWith("0o")) {
            radix = 8; digits = s.substring(2); prefixed = true;
        } else if (lower.startsWith("0b")) {
            radix = 2; digits = s.substring(2); prefixed = true;
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            radix = 8; digits = s.substring(1); prefixed = true;
        }
        if (digits.contains("_")) {
            // Underscores only between digits (or right after a base prefix).
            if (digits.endsWith("_") || digits.contains("__") || (!prefixed && digits.startsWith("_"))) {
                return null;
            }
            digits = digits.replace("_", "");
        }
        if (digits.isEmpty()) {
            return null;
        }
        try {
            long v = Long.parseLong(digits, radix);
            return v < 0 ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
