package io.portcullis.policy.api.validate;

import static io.portcullis.policy.api.validate.ValidationRow.cnp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.labels.LabelValidation;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Hibernate Validator mapping of {@link StructuralConstraints}: one row per constraint, each a policy
 * that breaks exactly that constraint and nothing else, so the row also proves the error is reported once
 * (no Java check repeats it) with our path format, the Kubernetes reason and a readable message.
 */
class StructuralConstraintsTest {

    private static final String REQUIRED = FieldError.REQUIRED;
    private static final String INVALID = FieldError.INVALID;
    private static final String NOT_SUPPORTED = FieldError.NOT_SUPPORTED;
    private static final String TOO_LONG = FieldError.TOO_LONG;
    private static final String TOO_MANY = FieldError.TOO_MANY;

    /**
     * {@code constraint}: {@code Type.field@Constraint}, {@code []} after the field for a constraint on its
     * list elements, and the regexp for a pattern (a field may carry several).
     */
    record Row(String constraint, String spec, String field, String reason, String message) {
        @Override
        public String toString() {
            return constraint + " → " + field;
        }
    }

    private static Row row(String constraint, String spec, String field, String reason, String message) {
        return new Row(constraint, spec, field, reason, message);
    }

    private static final String ES = "endpointSelector: {}\n";

    private static String port(String extra) {
        return ES + "egress: [{toPorts: [{ports: [{port: \"443\", protocol: TCP}]" + extra + "}]}]";
    }

    private static String l7(String rules) {
        return ES + "ingress: [{toPorts: [{ports: [{port: \"80\", protocol: TCP}], rules: " + rules + "}]}]";
    }

    private static String portList(int n) {
        return IntStream.range(0, n).mapToObj(p -> "{port: \"" + (1000 + p) + "\", protocol: TCP}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static Stream<Row> rows() {
        String fields41 = IntStream.rangeClosed(1, 41).mapToObj(t -> "{type: " + t + "}")
                .collect(Collectors.joining(", ", "[", "]"));
        return Stream.of(
                row("RuleLabel.key@NotEmpty", ES + "ingress: [{}]\nlabels: [{value: b}]",
                        "spec.labels[0].key", REQUIRED, "label key is required"),
                row("LogConfig.value@CodePointLength", ES + "ingress: [{}]\nlog: {value: " + "x".repeat(33) + "}",
                        "spec.log.value", TOO_LONG, "must be no more than 32 characters"),
                row("LogConfig.value@Re2Pattern(" + StructuralConstraints.PRINTABLE + ")",
                        ES + "ingress: [{}]\nlog: {value: \"a\\u0007b\"}",
                        "spec.log.value", INVALID, "must contain only printable characters"),
                row("LabelSelectorRequirement.key@NotEmpty",
                        "endpointSelector: {matchExpressions: [{operator: Exists}]}\ningress: [{}]",
                        "spec.endpointSelector.matchExpressions[0].key", REQUIRED, "key is required"),
                row("LabelSelectorRequirement.operator@NotEmpty",
                        "endpointSelector: {matchExpressions: [{key: app}]}\ningress: [{}]",
                        "spec.endpointSelector.matchExpressions[0].operator", REQUIRED, "operator is required"),
                row("LabelSelectorRequirement.operator@OneOf",
                        ES + "ingress: [{fromEndpoints: [{matchExpressions: [{key: app, operator: Maybe}]}]}]",
                        "spec.ingress[0].fromEndpoints[0].matchExpressions[0].operator", NOT_SUPPORTED,
                        "\"Maybe\": not a valid selector operator (supported: In, NotIn, Exists, DoesNotExist)"),
                row("IngressRule.fromEntities[]@OneOf", ES + "ingress: [{fromEntities: [world, galaxy]}]",
                        "spec.ingress[0].fromEntities[1]", NOT_SUPPORTED, "unsupported entity: galaxy"),
                row("IngressDenyRule.fromEntities[]@OneOf", ES + "ingressDeny: [{fromEntities: [galaxy]}]",
                        "spec.ingressDeny[0].fromEntities[0]", NOT_SUPPORTED, "unsupported entity: galaxy"),
                row("EgressRule.toEntities[]@OneOf", ES + "egress: [{}, {toEntities: [galaxy]}]",
                        "spec.egress[1].toEntities[0]", NOT_SUPPORTED, "unsupported entity: galaxy"),
                row("EgressDenyRule.toEntities[]@OneOf", ES + "egressDeny: [{toEntities: [World]}]",
                        "spec.egressDeny[0].toEntities[0]", NOT_SUPPORTED, "unsupported entity: World"),
                row("Authentication.mode@NotEmpty", ES + "ingress: [{fromEntities: [all], authentication: {mode: \"\"}}]",
                        "spec.ingress[0].authentication.mode", REQUIRED, "authentication mode is required"),
                row("Authentication.mode@OneOf", ES + "egress: [{toEntities: [all], authentication: {mode: sometimes}}]",
                        "spec.egress[0].authentication.mode", NOT_SUPPORTED,
                        "unsupported mode \"sometimes\"; supported values: disabled, required, test-always-fail"),
                row("ICMPRule.fields@Size", ES + "ingress: [{icmps: [{fields: " + fields41 + "}]}]",
                        "spec.ingress[0].icmps[0].fields", TOO_MANY, "too many types, the max is 40"),
                row("ICMPField.family@OneOf", ES + "egressDeny: [{icmps: [{fields: [{family: hoge, type: 0}]}]}]",
                        "spec.egressDeny[0].icmps[0].fields[0].family", NOT_SUPPORTED,
                        "wrong family: hoge (supported: IPv4, IPv6)"),
                row("ICMPField.type@NotNull", ES + "egress: [{icmps: [{fields: [{family: IPv6}]}]}]",
                        "spec.egress[0].icmps[0].fields[0].type", REQUIRED, "ICMP type is required"),
                row("CIDRRule.cidrGroupRef@CodePointLength", ES + "egress: [{toCIDRSet: [{cidrGroupRef: " + "a".repeat(254) + "}]}]",
                        "spec.egress[0].toCIDRSet[0].cidrGroupRef", TOO_LONG, "must be no more than 253 characters"),
                row("CIDRRule.cidrGroupRef@Re2Pattern(" + StructuralConstraints.DNS1123_SUBDOMAIN + ")",
                        ES + "ingress: [{fromCIDRSet: [{cidrGroupRef: Bad_Ref}]}]",
                        "spec.ingress[0].fromCIDRSet[0].cidrGroupRef", INVALID, "a lowercase RFC 1123 subdomain"),
                row("K8sServiceSelector.selector@NotNull", ES + "egress: [{toServices: [{k8sServiceSelector: {namespace: x}}]}]",
                        "spec.egress[0].toServices[0].k8sServiceSelector.selector", REQUIRED, "selector is required"),
                row("FQDNSelector.matchName@CodePointLength", ES + "egress: [{toFQDNs: [{matchName: " + "a".repeat(256) + "}]}]",
                        "spec.egress[0].toFQDNs[0].matchName", TOO_LONG, "must be no more than 255 characters"),
                row("FQDNSelector.matchName@Re2Pattern(" + StructuralConstraints.MATCH_NAME_CHARS + ")",
                        ES + "egress: [{toFQDNs: [{matchName: \"*.cilium.io\"}]}]",
                        "spec.egress[0].toFQDNs[0].matchName", INVALID,
                        "Invalid characters in MatchName: \"*.cilium.io\". Only 0-9, a-z, A-Z and . and - characters are allowed"),
                row("FQDNSelector.matchName@Re2Pattern(" + StructuralConstraints.DOT_SEPARATED_LABELS + ")",
                        ES + "egress: [{toFQDNs: [{matchName: cilium..io}]}]",
                        "spec.egress[0].toFQDNs[0].matchName", INVALID,
                        "\"cilium..io\" must be dot-separated labels without empty labels"),
                row("FQDNSelector.matchPattern@CodePointLength", ES + "egress: [{toFQDNs: [{matchPattern: \"" + "*".repeat(256) + "\"}]}]",
                        "spec.egress[0].toFQDNs[0].matchPattern", TOO_LONG, "must be no more than 255 characters"),
                row("FQDNSelector.matchPattern@Re2Pattern(" + StructuralConstraints.MATCH_PATTERN_CHARS + ")",
                        port(", rules: {dns: [{matchPattern: \"[a-z]*.io\"}]}"),
                        "spec.egress[0].toPorts[0].rules.dns[0].matchPattern", INVALID, "Invalid characters in MatchPattern"),
                row("FQDNSelector.matchPattern@Re2Pattern(" + StructuralConstraints.DOT_SEPARATED_LABELS + ")",
                        ES + "egress: [{toFQDNs: [{matchPattern: \".*.io\"}]}]",
                        "spec.egress[0].toFQDNs[0].matchPattern", INVALID, "without empty labels"),
                row("PortRule.ports@Size", ES + "ingress: [{toPorts: [{ports: " + portList(41) + "}]}]",
                        "spec.ingress[0].toPorts[0].ports", TOO_MANY, "too many ports, the max is 40"),
                row("PortDenyRule.ports@Size", ES + "egressDeny: [{toPorts: [{}, {ports: " + portList(41) + "}]}]",
                        "spec.egressDeny[0].toPorts[1].ports", TOO_MANY, "too many ports, the max is 40"),
                row("PortRule.serverNames@Size", port(", serverNames: []"),
                        "spec.egress[0].toPorts[0].serverNames", REQUIRED, "serverNames must have at least 1 item when present"),
                row("PortRule.serverNames[]@NotEmpty", port(", serverNames: [a.io, \"\"]"),
                        "spec.egress[0].toPorts[0].serverNames[1]", REQUIRED, "Empty server name is not allowed"),
                row("PortRule.serverNames[]@CodePointLength", port(", serverNames: [" + "a".repeat(256) + "]"),
                        "spec.egress[0].toPorts[0].serverNames[0]", TOO_LONG, "must be no more than 255 characters"),
                row("PortRule.serverNames[]@Re2Pattern(" + StructuralConstraints.CRD_MATCH_PATTERN + ")",
                        port(", serverNames: [\"a b\"]"), "spec.egress[0].toPorts[0].serverNames[0]", INVALID,
                        "invalid server name \"a b\": must match ^([-a-zA-Z0-9_*]+[.]?)+$"),
                row("PortProtocol.endPort@Range", ES + "ingress: [{toPorts: [{ports: [{port: \"80\", endPort: 70000}]}]}]",
                        "spec.ingress[0].toPorts[0].ports[0].endPort", INVALID, "endPort 70000 must be between 0 and 65535"),
                row("TLSContext.secret@NotNull", port(", terminatingTLS: {trustedCA: x}"),
                        "spec.egress[0].toPorts[0].terminatingTLS.secret", REQUIRED, "secret is required"),
                row("Secret.name@NotEmpty", port(", originatingTLS: {secret: {namespace: x}}"),
                        "spec.egress[0].toPorts[0].originatingTLS.secret.name", REQUIRED, "secret name is required"),
                row("Listener.envoyConfig@NotNull", port(", listener: {name: l}"),
                        "spec.egress[0].toPorts[0].listener.envoyConfig", REQUIRED, "envoyConfig is required"),
                row("Listener.name@NotEmpty", port(", listener: {envoyConfig: {name: c}}"),
                        "spec.egress[0].toPorts[0].listener.name", REQUIRED, "listener name is required"),
                row("Listener.priority@Range", port(", listener: {envoyConfig: {name: c}, name: l, priority: 0}"),
                        "spec.egress[0].toPorts[0].listener.priority", INVALID, "priority must be between 1 and 100"),
                row("EnvoyConfig.kind@OneOf", port(", listener: {envoyConfig: {kind: EnvoyConfig, name: c}, name: l}"),
                        "spec.egress[0].toPorts[0].listener.envoyConfig.kind", NOT_SUPPORTED,
                        "unsupported kind \"EnvoyConfig\"; supported values: CiliumEnvoyConfig, CiliumClusterwideEnvoyConfig"),
                row("EnvoyConfig.name@NotEmpty", port(", listener: {envoyConfig: {kind: CiliumEnvoyConfig}, name: l}"),
                        "spec.egress[0].toPorts[0].listener.envoyConfig.name", REQUIRED, "envoyConfig name is required"),
                row("HeaderMatch.name@NotEmpty", l7("{http: [{}, {headerMatches: [{name: X-A}, {value: v}]}]}"),
                        "spec.ingress[0].toPorts[0].rules.http[1].headerMatches[1].name", REQUIRED,
                        "header name must not be empty"),
                row("HeaderMatch.mismatch@OneOf", l7("{http: [{headerMatches: [{name: X, mismatch: DROP}]}]}"),
                        "spec.ingress[0].toPorts[0].rules.http[0].headerMatches[0].mismatch", NOT_SUPPORTED,
                        "unsupported mismatch action \"DROP\"; supported values: LOG, ADD, DELETE, REPLACE"),
                row("PortRuleKafka.role@OneOf", l7("{kafka: [{role: admin}]}"),
                        "spec.ingress[0].toPorts[0].rules.kafka[0].role", NOT_SUPPORTED,
                        "invalid Kafka Role \"admin\"; supported values: produce, consume"),
                row("PortRuleKafka.topic@CodePointLength", l7("{kafka: [{topic: " + "t".repeat(256) + "}]}"),
                        "spec.ingress[0].toPorts[0].rules.kafka[0].topic", TOO_LONG, "kafka topic exceeds maximum len of 255"),
                row("PortRuleKafka.topic@Re2Pattern(" + StructuralConstraints.KAFKA_TOPIC + ")",
                        l7("{kafka: [{topic: \"a topic\"}]}"),
                        "spec.ingress[0].toPorts[0].rules.kafka[0].topic", INVALID, "invalid Kafka Topic name \"a topic\""));
    }

    private static CiliumPolicy parse(String yaml) {
        ParseResult r = new PolicyParser().parse(yaml, "application/yaml");
        assertThat(r.errors()).as("parse errors").isEmpty();
        return r.policies().getFirst();
    }

    private static List<FieldError> validate(String yaml) {
        return new PolicyValidator().validate(parse(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachConstraintIsReportedOnceAtItsFieldWithItsReason(Row row) {
        List<FieldError> errors = validate(cnp(row.spec()));
        assertThat(errors).as(errors.toString()).hasSize(1);
        FieldError e = errors.getFirst();
        assertThat(e.field()).isEqualTo(row.field());
        assertThat(e.reason()).isEqualTo(row.reason());
        assertThat(e.message()).contains(row.message()).doesNotContain("{");
    }

    /** Every constraint the mapping declares has a row, and every row names a declared constraint. */
    @Test
    void everyConstraintHasARow() {
        Set<String> declared = new TreeSet<>();
        for (Class<?> type : reachableRecords()) {
            BeanDescriptor bean = StructuralValidator.validator().getConstraintsForClass(type);
            for (PropertyDescriptor p : bean.getConstrainedProperties()) {
                String prefix = type.getSimpleName() + "." + p.getPropertyName();
                p.getConstraintDescriptors().forEach(c -> declared.add(prefix + "@" + name(c)));
                for (ContainerElementTypeDescriptor e : p.getConstrainedContainerElementTypes()) {
                    e.getConstraintDescriptors().forEach(c -> declared.add(prefix + "[]@" + name(c)));
                }
            }
        }
        Set<String> covered = rows().map(Row::constraint).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).isEqualTo(declared);
        assertThat(rows().count()).as("one row per constraint").isEqualTo(declared.size());
    }

    private static String name(ConstraintDescriptor<?> c) {
        String simple = c.getAnnotation().annotationType().getSimpleName();
        Object regexp = c.getAttributes().get("regexp");
        return regexp == null || !(c.getAnnotation() instanceof Re2Pattern) ? simple : simple + "(" + regexp + ")";
    }

    /** HV cascades into every record component that is (a list of) a record, from CiliumPolicy down. */
    @Test
    void cascadeReachesEveryRecord() {
        Set<Class<?>> records = reachableRecords();
        assertThat(records).hasSizeGreaterThan(30);
        for (Class<?> type : records) {
            BeanDescriptor bean = StructuralValidator.validator().getConstraintsForClass(type);
            for (RecordComponent c : type.getRecordComponents()) {
                if (recordIn(c.getGenericType()) != null) {
                    PropertyDescriptor p = bean.getConstraintsForProperty(c.getName());
                    boolean cascaded = p != null && (p.isCascaded() || p.getConstrainedContainerElementTypes()
                            .stream().anyMatch(ContainerElementTypeDescriptor::isCascaded));
                    assertThat(cascaded).as(type.getSimpleName() + "." + c.getName() + " is cascaded").isTrue();
                }
            }
        }
    }

    private static Set<Class<?>> reachableRecords() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(CiliumPolicy.class));
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (seen.add(type)) {
                for (RecordComponent c : type.getRecordComponents()) {
                    Class<?> next = recordIn(c.getGenericType());
                    if (next != null) {
                        todo.push(next);
                    }
                }
            }
        }
        return seen;
    }

    /** The record type of a component that is a record or a list of records, else null. */
    private static Class<?> recordIn(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return recordIn(p.getActualTypeArguments()[0]);
        }
        return null;
    }

    @Test
    void pathsOfSpecsAndNestedListElements() {
        List<FieldError> errors = new PolicyValidator().validate(parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: t}
                specs:
                - {endpointSelector: {}, ingress: [{}]}
                - endpointSelector: {}
                  egress:
                  - {}
                  - toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: [a.io, "a b"]}]
                """));
        assertThat(errors).containsExactly(new FieldError("specs[1].egress[1].toPorts[0].serverNames[1]",
                INVALID, "invalid server name \"a b\": must match ^([-a-zA-Z0-9_*]+[.]?)+$"));
    }

    /** Structural and semantic errors merge in document order; on one field, structural first. */
    @Test
    void errorsComeInDocumentOrder() {
        List<FieldError> errors = validate(cnp("""
                endpointSelector: {}
                ingress:
                - fromEntities: [galaxy]
                  toPorts: [{ports: [{port: "70000", endPort: 70000}], rules: {http: [{path: "("}]}}]
                egress:
                - toEndpoints: [{}]
                  toFQDNs: [{matchName: "*.io", matchPattern: "*.io"}]
                log: {value: "\\u0007"}
                """));
        assertThat(errors).extracting(FieldError::field).containsExactly(
                "spec.ingress[0].fromEntities[0]",
                "spec.ingress[0].toPorts[0].ports[0].port",
                "spec.ingress[0].toPorts[0].ports[0].endPort",
                "spec.ingress[0].toPorts[0].ports[0].protocol",
                "spec.ingress[0].toPorts[0].rules.http[0].path",
                "spec.egress[0]",
                "spec.egress[0].toFQDNs[0]",
                "spec.egress[0].toFQDNs[0].matchName",
                "spec.log.value");
        assertThat(errors.get(5).message()).isEqualTo("combining ToEndpoints and ToFQDNs is not supported yet");
        assertThat(validate(cnp("""
                endpointSelector: {}
                ingress:
                - fromEntities: [galaxy]
                  toPorts: [{ports: [{port: "70000", endPort: 70000}], rules: {http: [{path: "("}]}}]
                egress:
                - toEndpoints: [{}]
                  toFQDNs: [{matchName: "*.io", matchPattern: "*.io"}]
                log: {value: "\\u0007"}
                """))).as("stable").isEqualTo(errors);
    }

    @Test
    void twoProblemsOfOneFieldAreTwoErrorsInAStableOrder() {
        List<FieldError> errors = validate(cnp(port(", serverNames: [\"" + "a ".repeat(200) + "\"]")));
        assertThat(errors).extracting(FieldError::reason).containsExactly(INVALID, TOO_LONG);
    }

    @Test
    void valuesEveryContextAccepts() {
        assertThat(validate(cnp("""
                endpointSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}
                ingress:
                - fromEntities: [world-ipv4, world-ipv6, kube-apiserver]
                  icmps: [{fields: [{family: "", type: 8}, {family: IPv6, type: EchoRequest}]}]
                  authentication: {mode: test-always-fail}
                - toPorts: [{ports: [{port: "9092", protocol: TCP}], rules: {kafka: [{role: Produce, topic: "a\\\\b.c_d-e"}, {topic: ""}]}}]
                - toPorts: [{ports: [{port: "80", protocol: TCP, endPort: 0}], rules: {http: [{headerMatches: [{name: X, mismatch: ""}]}]}}]
                egress:
                - toCIDRSet: [{cidrGroupRef: my-group.example}]
                - toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: ["*.example.com."],
                             listener: {envoyConfig: {kind: "", name: c}, name: l, priority: 100}}]
                - toFQDNs: [{matchPattern: "**.cilium.io"}, {matchName: _x.io.}]
                log: {value: "héllo wörld ✓"}
                """))).isEmpty();
    }

    /**
     * The CRD patterns nest quantifiers; {@code java.util.regex} would take exponential time on these
     * inputs. RE2 is linear.
     */
    @Test
    void patternsRunInLinearTime() {
        String evil = "a".repeat(60) + "!";
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(validate(cnp(ES + "egress: [{toFQDNs: [{matchName: \"" + evil + "\"}]}]"))).hasSize(1);
            assertThat(validate(cnp(port(", serverNames: [\"" + evil + "\"]")))).hasSize(1);
        });
    }

    /** The character class and the label structure together are exactly the CRD pattern. */
    @Test
    void charactersAndLabelsTogetherAreTheCrdPattern() {
        check(StructuralConstraints.MATCH_NAME_CHARS, StructuralConstraints.CRD_MATCH_NAME);
        check(StructuralConstraints.MATCH_PATTERN_CHARS, StructuralConstraints.CRD_MATCH_PATTERN);
    }

    private static void check(String chars, String crd) {
        Pattern c = Pattern.compile(chars);
        Pattern labels = Pattern.compile(StructuralConstraints.DOT_SEPARATED_LABELS);
        Pattern whole = Pattern.compile(crd);
        Random random = new Random(42);
        String alphabet = "a-_.*. 1";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = s.toString();
            assertThat(c.matches(v) && labels.matches(v)).as(v).isEqualTo(whole.matches(v));
        }
    }

    @Test
    void cidrGroupRefAgreesWithLabelValidation() {
        Pattern p = Pattern.compile(StructuralConstraints.DNS1123_SUBDOMAIN);
        for (String v : List.of("a", "a.b", "a-b.c-d", "1.2", "-a", "a-", "a..b", "A", "a_b", ".a", "a.", "x".repeat(300))) {
            boolean patternOk = p.matches(v) && v.length() <= 253;
            assertThat(patternOk).as(v).isEqualTo(LabelValidation.dns1123SubdomainErrors(v).isEmpty());
        }
    }

    /** The one static validator is shared by every caller; concurrent runs see the same answers. */
    @Test
    void sharedValidatorIsThreadSafe() {
        List<Row> all = rows().toList();
        List<CiliumPolicy> policies = all.stream().map(r -> parse(cnp(r.spec()))).toList();
        IntStream.range(0, 400).parallel().forEach(i -> {
            int k = i % all.size();
            assertThat(new PolicyValidator().validate(policies.get(k))).singleElement()
                    .extracting(FieldError::field).isEqualTo(all.get(k).field());
        });
    }

    /** Hibernate Validator boots without Expression Language: none is on the classpath. */
    @Test
    void bootsWithoutExpressionLanguage() {
        assertThatThrownBy(() -> Class.forName("jakarta.el.ExpressionFactory")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.glassfish.expressly.ExpressionFactoryImpl"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(StructuralValidator.validator()).isNotNull();
    }
}
