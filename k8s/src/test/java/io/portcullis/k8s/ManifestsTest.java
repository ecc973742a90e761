package io.portcullis.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered overlay: what each object must carry, checked on the fabric8 model. */
class ManifestsTest {

    static final String NAMESPACE = "portcullis";
    static final Set<String> DEPLOYMENTS = Set.of("policy-api", "identity-service", "compiler-service", "fqdn-cache-service");
    static final Set<String> DAEMONSETS = Set.of("node-agent", "dns-proxy-service");
    /** The services that talk to the API server; every other one runs without a token. */
    static final Set<String> API_CLIENTS = Set.of("policy-api", "node-agent");
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

    static List<String> overlays() {
        return Rendered.overlays();
    }

    @Test
    void thereAreDevAndProductionOverlays() {
        assertThat(Rendered.overlays()).contains("dev", "production");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectHasKindApiVersionNameAndNamespace(String overlay) {
        List<HasMetadata> objects = Rendered.objects(overlay);
        assertThat(objects).isNotEmpty();
        for (HasMetadata o : objects) {
            String what = overlay + ": " + o.getKind() + "/" + o.getMetadata().getName();
            assertThat(o.getKind()).as(what).isNotBlank();
            assertThat(o.getApiVersion()).as(what).isNotBlank();
            assertThat(o.getMetadata().getName()).as(what).isNotBlank();
            if (CLUSTER_SCOPED.contains(o.getKind())) {
                assertThat(o.getMetadata().getNamespace()).as(what).isNull();
            } else {
                assertThat(o.getMetadata().getNamespace()).as(what).isEqualTo(NAMESPACE);
            }
            assertThat(o.getMetadata().getLabels()).as(what).containsEntry("app.kubernetes.io/part-of", "portcullis");
        }
        // Typed where fabric8 knows the kind; only the Strimzi resources stay generic.
        assertThat(objects.stream().filter(o -> o instanceof GenericKubernetesResource).map(HasMetadata::getApiVersion)
                .collect(Collectors.toSet())).containsOnly("kafka.strimzi.io/v1beta2");
        assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).distinct().count())
                .as("no object twice").isEqualTo(objects.size());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workloadsAreTheServicesWithServicesAndAccounts(String overlay) {
        List<HasMetadata> objects = Rendered.objects(overlay);
        assertThat(names(objects, Deployment.class)).isEqualTo(new TreeSet<>(DEPLOYMENTS));
        assertThat(names(objects, DaemonSet.class)).isEqualTo(new TreeSet<>(DAEMONSETS));
        Set<String> all = new TreeSet<>(DEPLOYMENTS);
        all.addAll(DAEMONSETS);
        assertThat(names(objects, io.fabric8.kubernetes.api.model.Service.class)).isEqualTo(all);
        assertThat(names(objects, ServiceAccount.class)).isEqualTo(all);
        for (ServiceAccount sa : of(objects, ServiceAccount.class)) {
            assertThat(sa.getAutomountServiceAccountToken()).as(sa.getMetadata().getName())
                    .isEqualTo(API_CLIENTS.contains(sa.getMetadata().getName()));
        }
        assertThat(kinds(objects)).contains("Namespace", "ConfigMap", "Secret", "Kafka", "KafkaNodePool", "KafkaTopic");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasImageProbesResourcesHeapAndRunsLocked(String overlay) {
        for (var w : workloads(Rendered.objects(overlay)).entrySet()) {
            PodSpec pod = w.getValue().getSpec();
            String name = w.getKey();
            assertThat(pod.getServiceAccountName()).as(name).isEqualTo(name);
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isEqualTo(API_CLIENTS.contains(name));
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getHostNetwork()).as(name + ": no host network").isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getVolumes()).as(name + ": no host paths")
                    .allSatisfy(v -> assertThat(v.getHostPath()).isNull());
            assertThat(pod.getContainers()).as(name).hasSize(1);
            Container c = pod.getContainers().getFirst();
            // kustomize `images:` resolved the name: registry, repository and tag.
            assertThat(c.getImage()).as(name).matches("[a-z0-9.-]+(:[0-9]+)?/[a-z0-9/-]+/" + name + ":[\\w.-]+");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(c.getSecurityContext().getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(name).isNullOrEmpty();
            assertProbe(name, c.getLivenessProbe(), "/q/health/live");
            assertProbe(name, c.getReadinessProbe(), "/q/health/ready");
            Map<String, Quantity> requests = c.getResources().getRequests();
            Map<String, Quantity> limits = c.getResources().getLimits();
            assertThat(requests).as(name).containsKeys("cpu", "memory");
            assertThat(limits).as(name).containsKeys("cpu", "memory");
            BigDecimal limit = limits.get("memory").getNumericalAmount();
            assertThat(requests.get("memory").getNumericalAmount()).as(name).isLessThanOrEqualTo(limit);
            // -Xmx matched to the limit: at least 40 % of it, and room (>= 25 %) for everything off-heap.
            BigDecimal heap = xmx(name, c);
            assertThat(heap).as(name + ": -Xmx vs memory limit " + limit)
                    .isBetween(limit.multiply(new BigDecimal("0.40")), limit.multiply(new BigDecimal("0.75")));
            // Quarkus writes to /tmp (read-only root): a writable emptyDir there.
            assertThat(c.getVolumeMounts()).as(name).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(c.getEnvFrom()).as(name + ": Kafka address from the ConfigMap")
                    .anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).startsWith("portcullis-env"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void daemonSetsKnowTheirNodeAndTheWatchesAreOn(String overlay) {
        Map<String, PodTemplateSpec> w = workloads(Rendered.objects(overlay));
        for (String ds : DAEMONSETS) {
            EnvVar node = env(w.get(ds).getSpec().getContainers().getFirst(), "PORTCULLIS_NODE_NAME");
            assertThat(node.getValueFrom().getFieldRef().getFieldPath()).as(ds).isEqualTo("spec.nodeName");
        }
        assertThat(env(w.get("node-agent").getSpec().getContainers().getFirst(), "PORTCULLIS_K8S_ENABLED").getValue())
                .isEqualTo("true");
        Container api = w.get("policy-api").getSpec().getContainers().getFirst();
        assertThat(env(api, "PORTCULLIS_K8S_ENABLED").getValue()).isEqualTo("true");
        assertThat(env(api, "PORTCULLIS_AUTH_REQUIRED").getValue()).isEqualTo("true");
        assertThat(api.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/deployments/config"));
        assertThat(w.get("policy-api").getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).startsWith("policy-api-tokens"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void rbacIsReadOnlyExceptPolicyStatus(String overlay) {
        List<HasMetadata> objects = Rendered.objects(overlay);
        Map<String, ClusterRole> roles = of(objects, ClusterRole.class).stream()
                .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
        assertThat(roles.keySet()).containsExactlyInAnyOrder("portcullis-policy-api", "portcullis-node-agent");
        for (ClusterRole role : roles.values()) {
            role.getRules().forEach(rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*", "create", "delete", "deletecollection");
                assertThat(rule.getResources()).doesNotContain("*", "secrets");
                if (rule.getVerbs().contains("update") || rule.getVerbs().contains("patch")) {
                    assertThat(rule.getResources()).allMatch(r -> r.endsWith("/status"));
                }
            });
        }
        assertThat(roles.get("portcullis-node-agent").getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactlyInAnyOrder("pods", "namespaces");
            assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        for (ClusterRoleBinding b : of(objects, ClusterRoleBinding.class)) {
            assertThat(b.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
                assertThat("portcullis-" + s.getName()).isEqualTo(b.getRoleRef().getName());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaIsKraftWithATopicForEveryConfiguredTopic(String overlay) throws Exception {
        List<HasMetadata> objects = Rendered.objects(overlay);
        GenericKubernetesResource kafka = generic(objects, "Kafka").getFirst();
        assertThat(kafka.getMetadata().getAnnotations())
                .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
        GenericKubernetesResource pool = generic(objects, "KafkaNodePool").getFirst();
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
        assertThat(node(pool).at("/spec/roles").toString()).contains("controller", "broker");

        Map<String, String> cleanup = new TreeMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        for (GenericKubernetesResource t : generic(objects, "KafkaTopic")) {
            JsonNode spec = node(t).path("spec");
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            cleanup.put(spec.path("topicName").asText(), spec.path("config").path("cleanup.policy").asText());
            replicas.put(spec.path("topicName").asText(), spec.path("replicas").asInt());
            assertThat(spec.path("partitions").asInt()).isPositive();
        }
        Map<String, String> configured = configuredTopics();
        assertThat(cleanup).containsAllEntriesOf(configured);
        assertThat(cleanup).containsKeys("portcullis.fqdn-observations", "portcullis.fqdn-selections", "portcullis.flows");
        assertThat(cleanup.get("portcullis.flows")).isEqualTo("delete");
        int brokers = node(pool).at("/spec/replicas").asInt();
        assertThat(replicas.values()).as("replicas per topic = brokers").containsOnly(brokers);
        assertThat(node(kafka).at("/spec/kafka/config/transaction.state.log.replication.factor").asInt()).isEqualTo(brokers);
    }

    @Test
    void devIsOneOfEachWithTheCrds() {
        List<HasMetadata> dev = Rendered.objects("dev");
        assertThat(of(dev, Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
        assertThat(names(dev, CustomResourceDefinition.class))
                .containsExactly("ciliumclusterwidenetworkpolicies.cilium.io", "ciliumnetworkpolicies.cilium.io");
        assertThat(of(dev, PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void productionSpreadsReplicasAndBudgetsDisruptions() {
        List<HasMetadata> prod = Rendered.objects("production");
        assertThat(of(prod, CustomResourceDefinition.class)).as("CRDs are separate in production").isEmpty();
        Map<String, PodDisruptionBudget> pdbs = of(prod, PodDisruptionBudget.class).stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
        for (Deployment d : of(prod, Deployment.class)) {
            String name = d.getMetadata().getName();
            if (d.getSpec().getReplicas() > 1) {
                var anti = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
                assertThat(anti.getRequiredDuringSchedulingIgnoredDuringExecution()).as(name).singleElement()
                        .satisfies(t -> {
                            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                            assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
                        });
                assertThat(pdbs).as(name).containsKey(name);
                assertThat(pdbs.get(name).getSpec().getSelector().getMatchLabels())
                        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
            }
        }
        assertThat(of(prod, Deployment.class).stream().filter(d -> d.getSpec().getReplicas() > 1).count())
                .isGreaterThanOrEqualTo(3);
        assertThat(pdbs).containsKey("node-agent");
        assertThat(node(generic(prod, "KafkaNodePool").getFirst()).at("/spec/replicas").asInt()).isEqualTo(3);
    }

    /** {@code portcullis.topics."<name>".cleanup-policy} of every service's application.yaml. */
    static Map<String, String> configuredTopics() throws Exception {
        Map<String, String> topics = new TreeMap<>();
        try (Stream<Path> modules = Files.list(Rendered.MODULE.getParent())) {
            for (Path app : modules.map(m -> m.resolve("src/main/resources/application.yaml")).filter(Files::isRegularFile).toList()) {
                JsonNode t = Rendered.YAML.readTree(app.toFile()).path("portcullis").path("topics");
                t.fields().forEachRemaining(e -> topics.put(e.getKey(), e.getValue().path("cleanup-policy").asText("delete")));
            }
        }
        assertThat(topics).as("the services configure topics").containsKey("portcullis.policies");
        return topics;
    }

    private static void assertProbe(String name, Probe p, String path) {
        assertThat(p).as(name + " " + path).isNotNull();
        assertThat(p.getHttpGet().getPath()).as(name).isEqualTo(path);
        assertThat(p.getHttpGet().getPort().getStrVal()).as(name).isEqualTo("http");
    }

    private static BigDecimal xmx(String name, Container c) {
        String opts = env(c, "JAVA_TOOL_OPTIONS").getValue();
        Matcher m = Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(opts);
        assertThat(m.find()).as(name + ": -Xmx in JAVA_TOOL_OPTIONS: " + opts).isTrue();
        long unit = m.group(2).equalsIgnoreCase("g") ? 1L << 30 : 1L << 20;
        return BigDecimal.valueOf(Long.parseLong(m.group(1)) * unit);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
    }

    static Map<String, PodTemplateSpec> workloads(List<HasMetadata> objects) {
        Map<String, PodTemplateSpec> w = new TreeMap<>();
        of(objects, Deployment.class).forEach(d -> w.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        of(objects, DaemonSet.class).forEach(d -> w.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        return w;
    }

    static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static Set<String> names(List<HasMetadata> objects, Class<? extends HasMetadata> type) {
        return of(objects, type).stream().map(o -> o.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    }

    static List<GenericKubernetesResource> generic(List<HasMetadata> objects, String kind) {
        List<GenericKubernetesResource> found = of(objects, GenericKubernetesResource.class).stream()
                .filter(g -> g.getKind().equals(kind)).toList();
        assertThat(found).as(kind).isNotEmpty();
        return found;
    }

    static JsonNode node(HasMetadata o) {
        return Rendered.YAML.valueToTree(o);
    }
}
