package io.portcullis.agent.flow;

import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/flows} filters, like {@code hubble observe}'s: every given filter must match (and), a
 * comma-separated list matches any of its values (or).
 *
 * @param from     source: {@code ns/name} of an endpoint, an IP, or an identity number
 * @param to       destination, the same way
 * @param verdicts {@code ALLOWED}, {@code DENIED}, {@code AUDIT}
 * @param protocols L4 ({@code tcp}, {@code udp}) or L7 ({@code http}, {@code kafka}, {@code dns})
 */
public record FlowFilter(Set<String> from, Set<String> to, Set<FlowVerdict> verdicts, Set<String> protocols,
                         Set<String> origins) {

    public static final FlowFilter ALL = new FlowFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    /** @throws IllegalArgumentException naming the bad value */
    public static FlowFilter parse(String from, String to, String verdict, String protocol, String origin) {
        Set<FlowVerdict> verdicts = split(verdict, true).stream().map(v -> {
            try {
                return FlowVerdict.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("verdict: unknown verdict '" + v + "' (ALLOWED, DENIED, AUDIT)");
            }
        }).collect(Collectors.toUnmodifiableSet());
        return new FlowFilter(split(from, true), split(to, true), verdicts, split(protocol, false), split(origin, false));
    }

    private static Set<String> split(String value, boolean keepCase) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> keepCase ? s : s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean matches(FlowRecord f) {
        return peer(from, f.source()) && peer(to, f.destination())
                && (verdicts.isEmpty() || verdicts.contains(f.verdict()))
                && (protocols.isEmpty() || protocols.contains(lower(f.protocol()))
                    || (f.l7Protocol() != null && protocols.contains(f.l7Protocol())))
                && (origins.isEmpty() || origins.contains(lower(f.origin())));
    }

    private static boolean peer(Set<String> wanted, FlowRecord.Peer p) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (p == null) {
            return false;
        }
        return (p.endpoint() != null && wanted.contains(p.endpoint())) || (p.ip() != null && wanted.contains(p.ip()))
                || (p.identity() != null && wanted.contains(Long.toString(p.identity())));
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
