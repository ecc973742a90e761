package io.portcullis.policy.api.validate;

import com.google.re2j.PatternSyntaxException;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.KafkaApiKeyNames;
import io.portcullis.policy.api.L4Proto;
import io.portcullis.policy.api.L7Rules;
import io.portcullis.policy.api.Listener;
import io.portcullis.policy.api.PortDenyRule;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.api.PortSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The semantic checks of {@code toPorts[]} items: Cilium's {@code PortRule.Validate}/{@code PortDenyRule.Validate}.
 * Port counts, {@code endPort} and listener ranges, server name syntax, TLS secrets, header matches and
 * Kafka roles/topics are structural ({@link StructuralConstraints}).
 */
final class PortRuleValidator {

    private final FieldErrors errors;
    private final FqdnValidator fqdn;

    PortRuleValidator(FieldErrors errors) {
        this.errors = errors;
        this.fqdn = new FqdnValidator(errors);
    }

    /** Cilium's {@code L7Rules.IsEmpty}: no HTTP, Kafka or DNS entries and no {@code l7proto}. */
    static boolean hasL7(L7Rules r) {
        return r != null && (notEmpty(r.http()) || notEmpty(r.kafka()) || notEmpty(r.dns())
                || (r.l7proto() != null && !r.l7proto().isEmpty()));
    }

    static boolean hasDns(L7Rules r) {
        return r != null && notEmpty(r.dns());
    }

    void allow(PortRule pr, FieldPath path, boolean ingress) {
        L7Rules rules = pr.rules();
        boolean l7 = hasL7(rules);
        boolean dns = hasDns(rules);
        if (ingress && dns) {
            errors.forbidden(path.child("rules").child("dns"), "DNS rules are not allowed on ingress");
        }
        serverNames(pr, path, l7);
        List<Integer> zeroPorts = ports(pr.ports(), path.child("ports"), dns);
        if (l7 && !dns && pr.ports() != null) {
            for (int i = 0; i < pr.ports().size(); i++) {
                String proto = L4Proto.normalise(pr.ports().get(i).protocol());
                if (proto != null && !proto.equals(L4Proto.TCP)) {
                    errors.invalid(path.child("ports").index(i).child("protocol"),
                            "L7 rules can only apply to TCP (not " + proto + ") except for DNS rules");
                }
            }
        }
        listener(pr.listener(), path.child("listener"), ingress, l7);
        if (l7) {
            for (int i : zeroPorts) {
                errors.invalid(path.child("ports").index(i).child("port"), "L7 rules can not be used when a port is 0");
            }
            if (dns && (pr.ports() == null || pr.ports().isEmpty())) {
                errors.required(path.child("ports"), "port 53 must be specified for DNS rules");
            }
        }
        if (rules != null) {
            l7Rules(rules, path.child("rules"));
        }
    }

    void deny(PortDenyRule pr, FieldPath path) {
        ports(pr.ports(), path.child("ports"), false);
    }

    /** Validates each port; returns the indexes of ports that are numerically 0. */
    private List<Integer> ports(List<PortProtocol> ports, FieldPath path, boolean dns) {
        List<Integer> zero = new ArrayList<>();
        if (ports == null) {
            return zero;
        }
        for (int i = 0; i < ports.size(); i++) {
            PortProtocol pp = ports.get(i);
            FieldPath at = path.index(i);
            switch (PortSpec.parse(pp.port())) {
                case PortSpec.Invalid invalid -> errors.invalid(at.child("port"), invalid.message());
                case PortSpec.Numeric numeric -> {
                    if (numeric.port() == 0) {
                        zero.add(i);
                    }
                    if (dns && pp.endPort() != null && pp.endPort() > numeric.port()) {
                        errors.invalid(at.child("endPort"), "DNS rules do not support port ranges");
                    }
                }
                case PortSpec.Named named -> { }
            }
            protocol(pp.protocol(), at.child("protocol"));
        }
        return zero;
    }

    private void protocol(String protocol, FieldPath path) {
        if (L4Proto.normalise(protocol) != null) {
            return;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        if (upper.equals("VRRP") || upper.equals("IGMP")) {
            errors.notSupported(path, "protocol " + upper + " needs Cilium's --enable-extended-ip-protocols,"
                    + " which Portcullis does not enable; supported values: TCP, UDP, SCTP, ANY");
        } else {
            errors.notSupported(path, "unsupported protocol \"" + protocol + "\"; supported values: TCP, UDP, SCTP, ANY");
        }
    }

    private void serverNames(PortRule pr, FieldPath path, boolean l7) {
        List<String> names = pr.serverNames();
        if (names == null) {
            return;
        }
        FieldPath at = path.child("serverNames");
        if (!names.isEmpty() && l7 && pr.terminatingTLS() == null) {
            errors.forbidden(at, "ServerNames are not allowed with L7 rules without TLS termination");
        }
        // CRD x-kubernetes-list-type: set. Not structural here: HV would report the list, not the item.
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String sn = names.get(i);
            if (sn != null && !sn.isEmpty() && !seen.add(sn)) {
                errors.add(at.index(i), FieldError.DUPLICATE, "duplicate server name \"" + sn + "\"");
            }
        }
    }

    private void listener(Listener l, FieldPath path, boolean ingress, boolean l7) {
        if (l == null) {
            return;
        }
        if (ingress) {
            errors.forbidden(path, "Listener is not allowed on ingress (" + l.name() + ")");
        }
        if (l7) {
            errors.forbidden(path, "Listener is not allowed with L7 rules (" + l.name() + ")");
        }
    }

    private void l7Rules(L7Rules r, FieldPath path) {
        boolean hasProto = r.l7proto() != null && !r.l7proto().isEmpty();
        int kinds = (r.http() != null ? 1 : 0) + (r.kafka() != null ? 1 : 0) + (r.dns() != null ? 1 : 0)
                + (hasProto ? 1 : 0);
        if (kinds > 1) {
            errors.invalid(path, "multiple L7 protocol rule types specified in single rule");
        } else if (kinds == 0 && r.l7() == null) {
            errors.required(path, "rules must contain exactly one of http, kafka, dns or l7proto");
        }
        if (r.l7() != null && !hasProto) {
            errors.invalid(path.child("l7"), "'l7' may only be specified when a 'l7proto' is also specified");
        }
        Each.item(r.http(), path.child("http"), this::http);
        Each.item(r.kafka(), path.child("kafka"), this::kafka);
        Each.item(r.dns(), path.child("dns"), fqdn::validate);
        Each.item(r.l7(), path.child("l7"), this::genericL7);
    }

    private void http(PortRuleHTTP h, FieldPath path) {
        regex(h.path(), path.child("path"));
        regex(h.method(), path.child("method"));
        regex(h.host(), path.child("host"));
    }

    private void regex(String re, FieldPath path) {
        if (re == null) {
            return;
        }
        try {
            com.google.re2j.Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            errors.invalid(path, "invalid regular expression \"" + re + "\": " + e.getDescription());
        }
    }

    private void kafka(PortRuleKafka k, FieldPath path) {
        if (notBlank(k.role()) && notBlank(k.apiKey())) {
            errors.invalid(path, "cannot set both Role \"" + k.role() + "\" and APIKey \"" + k.apiKey() + "\" together");
        }
        if (notBlank(k.apiKey()) && KafkaApiKeyNames.idOf(k.apiKey()) == null) {
            errors.notSupported(path.child("apiKey"), "invalid Kafka APIKey \"" + k.apiKey() + "\"");
        }
        if (notBlank(k.apiVersion()) && !isInt16NonNegative(k.apiVersion())) {
            errors.invalid(path.child("apiVersion"), "invalid Kafka APIVersion \"" + k.apiVersion() + "\"");
        }
    }

    /** Go's {@code strconv.ParseInt(s, 10, 16)} with a result ≥ 0. */
    private static boolean isInt16NonNegative(String s) {
        if (!s.matches("[+-]?[0-9]{1,6}")) {
            return false;
        }
        int n = Integer.parseInt(s);
        return n >= 0 && n <= Short.MAX_VALUE;
    }

    private void genericL7(Map<String, String> rule, FieldPath path) {
        if (rule.containsKey("")) {
            errors.invalid(path, "Empty key not allowed");
        }
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isEmpty();
    }
}
