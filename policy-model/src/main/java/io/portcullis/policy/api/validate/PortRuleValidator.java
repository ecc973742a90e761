package io.portcullis.policy.api.validate;

import com.google.re2j.PatternSyntaxException;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.HeaderMatch;
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
import io.portcullis.policy.api.TLSContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code toPorts[]} items: Cilium's {@code PortRule.Validate}/{@code PortDenyRule.Validate} plus CRD constraints. */
final class PortRuleValidator {

    static final int MAX_PORTS = 40;
    private static final Set<String> MISMATCH_ACTIONS = Set.of("LOG", "ADD", "DELETE", "REPLACE");
    private static final Set<String> ENVOY_CONFIG_KINDS = Set.of("CiliumEnvoyConfig", "CiliumClusterwideEnvoyConfig");
    private static final com.google.re2j.Pattern SERVER_NAME = com.google.re2j.Pattern.compile("^([-a-zA-Z0-9_*]+[.]?)+$");
    /** Go raw string {@code ^[a-zA-Z0-9\\._\\-]+$}: the class also admits a backslash. */
    private static final Pattern KAFKA_TOPIC = Pattern.compile("^[a-zA-Z0-9\\\\._\\-]+$");
    private static final int KAFKA_MAX_TOPIC_LENGTH = 255;

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
        tls(pr.terminatingTLS(), path.child("terminatingTLS"));
        tls(pr.originatingTLS(), path.child("originatingTLS"));
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
        if (ports.size() > MAX_PORTS) {
            errors.tooMany(path, "too many ports, the max is " + MAX_PORTS);
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
            if (pp.endPort() != null && (pp.endPort() < 0 || pp.endPort() > 65535)) {
                errors.invalid(at.child("endPort"), "endPort " + pp.endPort() + " must be between 0 and 65535");
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
        if (names.isEmpty()) {
            errors.required(at, "serverNames must have at least 1 item when present");
        }
        if (!names.isEmpty() && l7 && pr.terminatingTLS() == null) {
            errors.forbidden(at, "ServerNames are not allowed with L7 rules without TLS termination");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String sn = names.get(i);
            if (sn == null || sn.isEmpty()) {
                errors.required(at.index(i), "Empty server name is not allowed");
            } else if (sn.length() > 255) {
                errors.tooLong(at.index(i), 255);
            } else if (!SERVER_NAME.matcher(sn).matches()) {
                errors.invalid(at.index(i), "invalid server name \"" + sn + "\": must match " + SERVER_NAME.pattern());
            } else if (!seen.add(sn)) {
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
        if (l.name() == null || l.name().isEmpty()) {
            errors.required(path.child("name"), "listener name is required");
        }
        if (l.envoyConfig() == null) {
            errors.required(path.child("envoyConfig"), "envoyConfig is required");
        } else {
            if (l.envoyConfig().name() == null || l.envoyConfig().name().isEmpty()) {
                errors.required(path.child("envoyConfig").child("name"), "envoyConfig name is required");
            }
            String kind = l.envoyConfig().kind();
            if (kind != null && !kind.isEmpty() && !ENVOY_CONFIG_KINDS.contains(kind)) {
                errors.notSupported(path.child("envoyConfig").child("kind"),
                        "supported values: CiliumEnvoyConfig, CiliumClusterwideEnvoyConfig");
            }
        }
        if (l.priority() != null && (l.priority() < 1 || l.priority() > 100)) {
            errors.invalid(path.child("priority"), "priority must be between 1 and 100");
        }
    }

    private void tls(TLSContext tls, FieldPath path) {
        if (tls == null) {
            return;
        }
        if (tls.secret() == null) {
            errors.required(path.child("secret"), "secret is required");
        } else if (tls.secret().name() == null || tls.secret().name().isEmpty()) {
            errors.required(path.child("secret").child("name"), "secret name is required");
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
        Each.item(h.headerMatches(), path.child("headerMatches"), this::headerMatch);
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

    private void headerMatch(HeaderMatch m, FieldPath path) {
        if (m.name() == null || m.name().isEmpty()) {
            errors.required(path.child("name"), "header name must not be empty");
        }
        if (m.mismatch() != null && !m.mismatch().isEmpty() && !MISMATCH_ACTIONS.contains(m.mismatch())) {
            errors.notSupported(path.child("mismatch"),
                    "unsupported mismatch action \"" + m.mismatch() + "\"; supported values: LOG, ADD, DELETE, REPLACE");
        }
        if (m.secret() != null && (m.secret().name() == null || m.secret().name().isEmpty())) {
            errors.required(path.child("secret").child("name"), "secret name is required");
        }
    }

    private void kafka(PortRuleKafka k, FieldPath path) {
        if (notBlank(k.role()) && notBlank(k.apiKey())) {
            errors.invalid(path, "cannot set both Role \"" + k.role() + "\" and APIKey \"" + k.apiKey() + "\" together");
        }
        if (notBlank(k.apiKey()) && KafkaApiKeyNames.idOf(k.apiKey()) == null) {
            errors.notSupported(path.child("apiKey"), "invalid Kafka APIKey \"" + k.apiKey() + "\"");
        }
        if (notBlank(k.role())) {
            String role = k.role().toLowerCase(Locale.ROOT);
            if (!role.equals("produce") && !role.equals("consume")) {
                errors.notSupported(path.child("role"),
                        "invalid Kafka Role \"" + k.role() + "\"; supported values: produce, consume");
            }
        }
        if (notBlank(k.apiVersion()) && !isInt16NonNegative(k.apiVersion())) {
            errors.invalid(path.child("apiVersion"), "invalid Kafka APIVersion \"" + k.apiVersion() + "\"");
        }
        if (notBlank(k.topic())) {
            if (k.topic().length() > KAFKA_MAX_TOPIC_LENGTH) {
                errors.add(path.child("topic"), FieldError.TOO_LONG,
                        "kafka topic exceeds maximum len of " + KAFKA_MAX_TOPIC_LENGTH);
            } else if (!KAFKA_TOPIC.matcher(k.topic()).matches()) {
                errors.invalid(path.child("topic"), "invalid Kafka Topic name \"" + k.topic() + "\"");
            }
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
