package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.Authentication;
import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.DefaultDenyConfig;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.Groups;
import io.portcullis.policy.api.HeaderMatch;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ICMPRule;
import io.portcullis.policy.api.ICMPTypes;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.L7Rules;
import io.portcullis.policy.api.LabelSelectorRequirement;
import io.portcullis.policy.api.Listener;
import io.portcullis.policy.api.LogConfig;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PortDenyRule;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.api.RuleLabel;
import io.portcullis.policy.api.Secret;
import io.portcullis.policy.api.Service;
import io.portcullis.policy.api.TLSContext;
import org.hibernate.validator.cfg.ConstraintMapping;
import org.hibernate.validator.cfg.GenericConstraintDef;
import org.hibernate.validator.cfg.context.TypeConstraintMappingContext;
import org.hibernate.validator.cfg.defs.CodePointLengthDef;
import org.hibernate.validator.cfg.defs.NotEmptyDef;
import org.hibernate.validator.cfg.defs.NotNullDef;
import org.hibernate.validator.cfg.defs.RangeDef;
import org.hibernate.validator.cfg.defs.SizeDef;

/**
 * The structural constraints of the policy types: the CRD schema's {@code maxItems}, {@code maxLength},
 * {@code pattern}, {@code enum}, {@code minimum}/{@code maximum} and {@code required}
 * (CILIUM-SEMANTICS.md §1.4), plus the few Sanitize checks of the same kind (§1.5), as one Hibernate
 * Validator programmatic mapping on record <em>fields</em>.
 *
 * <p>Rules for what belongs here:
 * <ul>
 *   <li>A constraint holds wherever its type appears. {@link EndpointSelector} is both a Cilium selector
 *       (keys may carry a source) and a plain Kubernetes selector (they may not), so its label keys are
 *       checked in Java; its {@code operator} enum is the same everywhere, so it is here.</li>
 *   <li>One field, no siblings. "Exactly one of", "not with L7 rules", "not on ingress" stay in Java.</li>
 *   <li>No Cilium parsing: ports (Go base-0 literals), protocols (case folding, the extended ones),
 *       CIDRs, ICMP type names, RE2 regexes, Kafka API keys/versions stay in Java.</li>
 * </ul>
 * Nested records are cascaded ({@code valid()}; for a list, on its element type) down the whole graph,
 * so HV reaches every record under {@link CiliumPolicy}. Each constraint carries its own message; {@code {validatedValue}}
 * names the rejected value (see {@link StructuralValidator}). No annotation is read from the records.
 */
public final class StructuralConstraints {

    /** Cilium's {@code PortRule} limit (CRD maxItems; Sanitize: "too many ports, the max is 40"). */
    public static final int MAX_PORTS = 40;
    /** Cilium's {@code ICMPRule} limit (CRD maxItems; Sanitize: "too many types, the max is 40"). */
    public static final int MAX_ICMP_FIELDS = 40;
    /** {@code EntitySelectorMapping} keys: the CRD enum plus the dual-stack world entities. */
    static final String[] ENTITIES = {"all", "world", "world-ipv4", "world-ipv6", "cluster", "host", "init",
            "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver"};

    /** CRD pattern of {@code toFQDNs[].matchName} (and {@code rules.dns[]}). */
    static final String CRD_MATCH_NAME = "^([-a-zA-Z0-9_]+[.]?)+$";
    /** CRD pattern of {@code matchPattern}, also of {@code serverNames[]}. */
    static final String CRD_MATCH_PATTERN = "^([-a-zA-Z0-9_*]+[.]?)+$";
    /** Cilium's {@code matchpattern.Validate}/{@code FQDNSelector.sanitize} character classes. */
    static final String MATCH_NAME_CHARS = "^[-a-zA-Z0-9_.]+$";
    static final String MATCH_PATTERN_CHARS = "^[-a-zA-Z0-9_.*]+$";
    /**
     * The label structure of the CRD patterns, whatever the characters: no leading dot, no empty label.
     * Together with the character class it is exactly the CRD pattern, but a wrong character and an
     * empty label are told apart (and Cilium's wording is kept for the former).
     */
    static final String DOT_SEPARATED_LABELS = "^([^.]+[.]?)+$";
    /** Kubernetes {@code IsDNS1123Subdomain} (as {@code LabelValidation.dns1123SubdomainErrors}). */
    static final String DNS1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** CRD pattern of {@code log.value}: printable characters only (Go's {@code \PC}). */
    static final String PRINTABLE = "^\\PC*$";
    /** {@code kafka.go}: the Go raw string {@code ^[a-zA-Z0-9\\._\\-]+$}, whose class also admits a backslash. */
    static final String KAFKA_TOPIC = "^[a-zA-Z0-9\\\\._\\-]+$";

    private StructuralConstraints() {}

    /** Adds every structural constraint to {@code m} (an empty mapping from HV's configuration). */
    static ConstraintMapping define(ConstraintMapping m) {
        m.type(CiliumPolicy.class).ignoreAllAnnotations()
                .field("metadata").valid() // no structural constraint: its name rules depend on the kind
                .field("spec").valid()
                .field("specs").containerElementType().valid();
        m.type(Rule.class).ignoreAllAnnotations()
                .field("endpointSelector").valid()
                .field("nodeSelector").valid()
                .field("ingress").containerElementType().valid()
                .field("ingressDeny").containerElementType().valid()
                .field("egress").containerElementType().valid()
                .field("egressDeny").containerElementType().valid()
                .field("labels").containerElementType().valid()
                .field("enableDefaultDeny").valid()
                .field("log").valid();
        m.type(ObjectMeta.class).ignoreAllAnnotations();
        m.type(DefaultDenyConfig.class).ignoreAllAnnotations();
        m.type(RuleLabel.class).ignoreAllAnnotations()
                .field("key").constraint(required("label key is required"));
        m.type(LogConfig.class).ignoreAllAnnotations()
                .field("value")
                .constraint(maxLength(32))
                .constraint(pattern(PRINTABLE, "must contain only printable characters"));
        selectors(m);
        rules(m);
        peers(m);
        ports(m);
        l7(m);
        return m;
    }

    private static void selectors(ConstraintMapping m) {
        m.type(EndpointSelector.class).ignoreAllAnnotations()
                .field("matchExpressions").containerElementType().valid();
        m.type(LabelSelectorRequirement.class).ignoreAllAnnotations()
                .field("key").constraint(required("key is required"))
                .field("operator").constraint(required("operator is required"))
                .constraint(oneOf("\"{validatedValue}\": not a valid selector operator"
                        + " (supported: In, NotIn, Exists, DoesNotExist)", "In", "NotIn", "Exists", "DoesNotExist"));
    }

    /**
     * One of the four rule types: its entities list takes only known entities, and every other nested field
     * cascades (lists on their element type; {@code authentication} is a single record).
     */
    private static void peerRule(ConstraintMapping m, Class<?> type, String entities, String... nested) {
        TypeConstraintMappingContext<?> t = m.type(type).ignoreAllAnnotations();
        t.field(entities).containerElementType().constraint(oneOf("unsupported entity: {validatedValue}", ENTITIES));
        for (String field : nested) {
            if (field.equals("authentication")) {
                t.field(field).valid();
            } else {
                t.field(field).containerElementType().valid();
            }
        }
    }

    private static void rules(ConstraintMapping m) {
        peerRule(m, IngressRule.class, "fromEntities", "fromEndpoints", "fromRequires", "fromCIDRSet", "fromGroups",
                "fromNodes", "toPorts", "icmps", "authentication");
        peerRule(m, IngressDenyRule.class, "fromEntities", "fromEndpoints", "fromRequires", "fromCIDRSet",
                "fromGroups", "fromNodes", "toPorts", "icmps");
        peerRule(m, EgressRule.class, "toEntities", "toEndpoints", "toRequires", "toCIDRSet", "toServices",
                "toGroups", "toNodes", "toFQDNs", "toPorts", "icmps", "authentication");
        peerRule(m, EgressDenyRule.class, "toEntities", "toEndpoints", "toRequires", "toCIDRSet", "toServices",
                "toGroups", "toNodes", "toPorts", "icmps");
        m.type(Authentication.class).ignoreAllAnnotations()
                .field("mode").constraint(required("authentication mode is required"))
                .constraint(oneOf("unsupported mode \"{validatedValue}\"; supported values: disabled, required,"
                        + " test-always-fail", "disabled", "required", "test-always-fail"));
        m.type(ICMPRule.class).ignoreAllAnnotations()
                .field("fields").constraint(maxItems(MAX_ICMP_FIELDS, "too many types, the max is {max}"))
                .containerElementType().valid();
        m.type(ICMPField.class).ignoreAllAnnotations()
                .field("family").constraint(oneOf("wrong family: {validatedValue} (supported: IPv4, IPv6)",
                        ICMPTypes.IPV4, ICMPTypes.IPV6))
                .field("type").constraint(new NotNullDef().message("ICMP type is required"));
    }

    private static void peers(ConstraintMapping m) {
        m.type(CIDRRule.class).ignoreAllAnnotations()
                .field("cidrGroupRef")
                .constraint(maxLength(253))
                .constraint(pattern(DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain must consist of lower case"
                        + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric"
                        + " character (e.g. 'example.com')"))
                .field("cidrGroupSelector").valid();
        m.type(Groups.class).ignoreAllAnnotations()
                .field("aws").valid();
        m.type(Groups.AwsGroup.class).ignoreAllAnnotations();
        m.type(Service.class).ignoreAllAnnotations()
                .field("k8sService").valid()
                .field("k8sServiceSelector").valid();
        m.type(Service.K8sServiceNamespace.class).ignoreAllAnnotations();
        m.type(Service.K8sServiceSelector.class).ignoreAllAnnotations()
                .field("selector").constraint(new NotNullDef().message("selector is required")).valid();
        m.type(FQDNSelector.class).ignoreAllAnnotations()
                .field("matchName")
                .constraint(maxLength(255))
                .constraint(pattern(MATCH_NAME_CHARS, "Invalid characters in MatchName: \"{validatedValue}\"."
                        + " Only 0-9, a-z, A-Z and . and - characters are allowed"))
                .constraint(pattern(DOT_SEPARATED_LABELS, "\"{validatedValue}\" must be dot-separated labels"
                        + " without empty labels (pattern " + CRD_MATCH_NAME + ")"))
                .field("matchPattern")
                .constraint(maxLength(255))
                .constraint(pattern(MATCH_PATTERN_CHARS, "Invalid characters in MatchPattern: \"{validatedValue}\"."
                        + " Only 0-9, a-z, A-Z and ., - and * characters are allowed"))
                .constraint(pattern(DOT_SEPARATED_LABELS, "\"{validatedValue}\" must be dot-separated labels"
                        + " without empty labels (pattern " + CRD_MATCH_PATTERN + ")"));
    }

    private static void ports(ConstraintMapping m) {
        m.type(PortRule.class).ignoreAllAnnotations()
                .field("ports").constraint(maxItems(MAX_PORTS, "too many ports, the max is {max}"))
                .containerElementType().valid()
                .field("rules").valid()
                .field("terminatingTLS").valid()
                .field("originatingTLS").valid()
                .field("serverNames")
                .constraint(new SizeDef().min(1).message("serverNames must have at least 1 item when present"))
                .containerElementType()
                .constraint(required("Empty server name is not allowed"))
                .constraint(maxLength(255))
                .constraint(pattern(CRD_MATCH_PATTERN, "invalid server name \"{validatedValue}\": must match {regexp}"))
                .field("listener").valid();
        m.type(PortDenyRule.class).ignoreAllAnnotations()
                .field("ports").constraint(maxItems(MAX_PORTS, "too many ports, the max is {max}"))
                .containerElementType().valid();
        m.type(PortProtocol.class).ignoreAllAnnotations()
                .field("endPort").constraint(new RangeDef().min(0).max(65535)
                        .message("endPort {validatedValue} must be between {min} and {max}"));
        m.type(TLSContext.class).ignoreAllAnnotations()
                .field("secret").constraint(new NotNullDef().message("secret is required")).valid();
        m.type(Secret.class).ignoreAllAnnotations()
                .field("name").constraint(required("secret name is required"));
        m.type(Listener.class).ignoreAllAnnotations()
                .field("envoyConfig").constraint(new NotNullDef().message("envoyConfig is required")).valid()
                .field("name").constraint(required("listener name is required"))
                .field("priority").constraint(new RangeDef().min(1).max(100)
                        .message("priority must be between {min} and {max}"));
        m.type(Listener.EnvoyConfig.class).ignoreAllAnnotations()
                .field("kind").constraint(oneOf("unsupported kind \"{validatedValue}\"; supported values:"
                        + " CiliumEnvoyConfig, CiliumClusterwideEnvoyConfig",
                        "CiliumEnvoyConfig", "CiliumClusterwideEnvoyConfig"))
                .field("name").constraint(required("envoyConfig name is required"));
    }

    private static void l7(ConstraintMapping m) {
        m.type(L7Rules.class).ignoreAllAnnotations()
                .field("http").containerElementType().valid()
                .field("kafka").containerElementType().valid()
                .field("dns").containerElementType().valid();
        m.type(PortRuleHTTP.class).ignoreAllAnnotations()
                .field("headerMatches").containerElementType().valid();
        m.type(HeaderMatch.class).ignoreAllAnnotations()
                .field("name").constraint(required("header name must not be empty"))
                .field("mismatch").constraint(oneOf("unsupported mismatch action \"{validatedValue}\";"
                        + " supported values: LOG, ADD, DELETE, REPLACE", "LOG", "ADD", "DELETE", "REPLACE"))
                .field("secret").valid();
        m.type(PortRuleKafka.class).ignoreAllAnnotations()
                .field("role").constraint(oneOf("invalid Kafka Role \"{validatedValue}\"; supported values:"
                        + " produce, consume", "produce", "consume").param("ignoreCase", true))
                .field("topic")
                .constraint(maxLength(255).message("kafka topic exceeds maximum len of {max}"))
                .constraint(pattern(KAFKA_TOPIC, "invalid Kafka Topic name \"{validatedValue}\""));
    }

    /** CRD {@code maxLength}: counted in code points, as Kubernetes counts runes. */
    private static CodePointLengthDef maxLength(int max) {
        return new CodePointLengthDef().max(max).message("must be no more than {max} characters");
    }

    private static SizeDef maxItems(int max, String message) {
        return new SizeDef().max(max).message(message);
    }

    private static NotEmptyDef required(String message) {
        return new NotEmptyDef().message(message);
    }

    private static GenericConstraintDef<Re2Pattern> pattern(String regexp, String message) {
        return new GenericConstraintDef<>(Re2Pattern.class).param("regexp", regexp).message(message);
    }

    private static GenericConstraintDef<OneOf> oneOf(String message, String... values) {
        return new GenericConstraintDef<>(OneOf.class).param("value", values).message(message);
    }
}
