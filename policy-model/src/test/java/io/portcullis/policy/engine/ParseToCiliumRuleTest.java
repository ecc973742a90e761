package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/k8s/apis/cilium.io/utils/utils_test.go Test_ParseToCiliumRule}: parse-time
 * rewriting of the subject and peer selectors (§1.6) by {@link RuleTranslator}. A selector is written as
 * the set of its requirements ({@code source:key=value}, {@code source:key} for Exists, {@code !source:key}
 * for DoesNotExist).
 *
 * <p>Rows marked "(utils.go)" are not rows of that test: they pin the other branches of
 * {@code getEndpointSelector} the brief and §1.6 describe (reserved selectors untouched, entities not
 * namespaced, the CCNP init exception, cluster scoping of CCNP peers).
 *
 * <p>Our default is {@link EngineConfig#DEFAULT}: no cluster scoping (Cilium 1.18's
 * {@code --policy-default-local-cluster=false}). Cilium's "set-cluster-by-default" passes a cluster name,
 * which is {@code new EngineConfig("cluster1", true)} here.
 *
 * <p>Skipped: "parse-from-to-nodes-rule" ({@code fromNodes} gets {@code reserved:remote-node Exists}).
 * Portcullis does not resolve node selectors ({@code --enable-node-selector-labels}); its translator
 * deliberately makes {@code fromNodes}/{@code toNodes} select nothing, so the Cilium selector has no
 * counterpart to compare with.
 */
class ParseToCiliumRuleTest {

    static final String NS_DEFAULT = "k8s:io.kubernetes.pod.namespace=default";
    static final String NS_EXISTS = "k8s:io.kubernetes.pod.namespace";
    static final EngineConfig CLUSTER1 = new EngineConfig("cluster1", true);
    /**
     * Cilium's rows without peers have no rule sections; our validator (like Cilium's Sanitize) rejects a
     * rule with none, so those rows get {@code ingress: [{}]}, which adds no peer (§2.3).
     */
    static final String NO_PEERS = "\ningress: [{}]";

    record Row(String name, String namespace, EngineConfig config, String spec, Set<String> subject, List<Set<String>> ingressPeers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Set<String> sel(String... reqs) {
        return new TreeSet<>(List.of(reqs));
    }

    static Row cnp(String name, String spec, Set<String> subject, List<Set<String>> peers) {
        return new Row(name, "default", EngineConfig.DEFAULT, spec, subject, peers);
    }

    static Row ccnp(String name, String spec, Set<String> subject, List<Set<String>> peers) {
        return new Row(name, null, EngineConfig.DEFAULT, spec, subject, peers);
    }

    static Row withConfig(Row r, EngineConfig c) {
        return new Row(r.name(), r.namespace(), c, r.spec(), r.subject(), r.ingressPeers());
    }

    static Stream<Row> rows() {
        return Stream.of(
                // the namespace is inherited from the CNP's namespace
                cnp("parse-in-namespace", "endpointSelector: {matchLabels: {role: backend}}" + NO_PEERS,
                        sel("any:role=backend", NS_DEFAULT), List.of()),
                // a user's namespace match on the subject is overridden by the CNP's namespace
                cnp("parse-in-namespace-with-ns-selector",
                        "endpointSelector: {matchLabels: {role: backend, 'k8s:io.kubernetes.pod.namespace': foo}}" + NO_PEERS,
                        sel("any:role=backend", NS_DEFAULT), List.of()),
                // a clusterwide init policy: the subject is left alone
                ccnp("parse-init-policy", "endpointSelector: {matchLabels: {role: backend, 'reserved:init': ''}}" + NO_PEERS,
                        sel("any:role=backend", "reserved:init="), List.of()),
                // a CNP always selects its own namespace, even with an init-related subject; [{}] = this namespace
                cnp("parse-init-policy-namespaced", """
                        endpointSelector: {matchExpressions: [{key: 'reserved:init', operator: DoesNotExist}]}
                        ingress:
                        - fromEndpoints: [{}]
                        """,
                        sel("!reserved:init", NS_DEFAULT), List.of(sel(NS_DEFAULT))),
                // a namespace key without a source is "any" and keeps the namespace the user wrote
                cnp("set-any-source-for-namespace", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{matchLabels: {io.kubernetes.pod.namespace: ns-2}}]
                        """,
                        sel("any:role=backend", NS_DEFAULT), List.of(sel("any:io.kubernetes.pod.namespace=ns-2"))),
                // with a cluster name, peers are scoped to it unless they name a cluster
                withConfig(cnp("set-cluster-by-default", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{matchLabels: {}}, {matchLabels: {'k8s:io.cilium.k8s.policy.cluster': cluster2}}]
                        """,
                        sel("any:role=backend", NS_DEFAULT),
                        List.of(sel(NS_DEFAULT, "k8s:io.cilium.k8s.policy.cluster=cluster1"),
                                sel(NS_DEFAULT, "k8s:io.cilium.k8s.policy.cluster=cluster2"))), CLUSTER1),
                // namespace-labels keys select namespaces by label: no namespace is added
                cnp("parse-in-namespace-with-ns-labels-selector", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{matchLabels: {io.cilium.k8s.namespace.labels.team: team-a}}]
                        """,
                        sel("any:role=backend", NS_DEFAULT), List.of(sel("any:io.cilium.k8s.namespace.labels.team=team-a"))),
                // CCNP [{}] means every pod of every namespace, not every peer
                ccnp("wildcard-to-from-endpoints-with-ccnp", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{}]
                        """,
                        sel("any:role=backend"), List.of(sel(NS_EXISTS))),
                // "parse-from-to-nodes-rule" skipped: see the class comment

                // (utils.go) our default config adds no cluster requirement
                cnp("no-cluster-by-default", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{matchLabels: {}}]
                        """,
                        sel("any:role=backend", NS_DEFAULT), List.of(sel(NS_DEFAULT))),
                // (utils.go) a selector with a reserved: key is left untouched: no namespace, no cluster
                withConfig(cnp("reserved-selector-untouched", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEndpoints: [{matchLabels: {'reserved:host': ''}}]
                        """,
                        sel("any:role=backend", NS_DEFAULT), List.of(sel("reserved:host="))), CLUSTER1),
                // (utils.go) entities are neither namespaced nor cluster-scoped
                withConfig(cnp("entities-not-namespaced", """
                        endpointSelector: {matchLabels: {role: backend}}
                        ingress:
                        - fromEntities: [world]
                        """,
                        sel("any:role=backend", NS_DEFAULT),
                        List.of(sel("reserved:world"), sel("reserved:world-ipv4"), sel("reserved:world-ipv6"))), CLUSTER1),
                // (utils.go) a CCNP whose subject selects reserved:init keeps [{}] a true wildcard
                ccnp("ccnp-init-subject-wildcard-peer", """
                        endpointSelector: {matchLabels: {'reserved:init': ''}}
                        ingress:
                        - fromEndpoints: [{}]
                        """,
                        sel("reserved:init="), List.of(sel())),
                // (utils.go) CCNP peers get the Exists namespace and the cluster
                withConfig(ccnp("ccnp-wildcard-with-cluster", """
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                        """,
                        sel(), List.of(sel(NS_EXISTS, "k8s:io.cilium.k8s.policy.cluster=cluster1"))), CLUSTER1),
                // (utils.go) a user's namespace on a peer (k8s source) is kept
                cnp("peer-namespace-kept", """
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{matchLabels: {'k8s:io.kubernetes.pod.namespace': other, app: x}}]
                        """,
                        sel(NS_DEFAULT), List.of(sel("k8s:io.kubernetes.pod.namespace=other", "any:app=x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rewritesLikeCilium(Row row) {
        CiliumPolicy p = row.namespace() == null
                ? OracleSupport.ccnp(row.name(), row.spec())
                : OracleSupport.cnp(row.namespace(), row.name(), row.spec());
        List<TranslatedRule> rules = new RuleTranslator(row.config()).translate(p);
        assertThat(rules).hasSize(1);
        TranslatedRule r = rules.get(0);
        assertThat(r.namespace()).isEqualTo(row.namespace());
        assertThat(render(r.subject())).as("subject").isEqualTo(row.subject());
        List<Set<String>> peers = new ArrayList<>();
        r.ingress().forEach(pr -> pr.peers().forEach(s -> peers.add(render(s))));
        assertThat(peers).as("ingress peers").isEqualTo(row.ingressPeers());
    }

    static Set<String> render(Selector s) {
        Set<String> out = new TreeSet<>();
        for (Requirement r : s.requirements()) {
            out.add(r.toString());
        }
        return out;
    }
}
