package io.portcullis.api.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.portcullis.api.status.RealizedState;
import io.portcullis.api.store.PolicyReplay;
import io.portcullis.api.store.PolicyStore;
import io.portcullis.api.store.StoreException;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.api.parse.PolicySyntaxException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The cluster as a policy source: informers on CNP and CCNP objects feed the same intake as {@code POST
 * /v1/policies} (policy-model's parser and validator, then {@link PolicyStore#apply}), and the outcome is
 * written back as the object's status: {@code Valid} with every validation error, the stored revision, and
 * the realized revision per node (refreshed every {@code portcullis.k8s.status-interval}).
 *
 * <p>Level-triggered, one worker thread: informer events only name an object; the worker reads the
 * informer's cache, so a burst of updates to one object is one intake, and an object that failed (store
 * unavailable) is simply retried later. An invalid object changes nothing in the store (what was stored
 * for it before stays in force). A deleted object is deleted from the store. Objects stored through REST
 * are left alone.
 */
@ApplicationScoped
public class PolicyWatch {

    private static final Logger LOG = Logger.getLogger(PolicyWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the worker last wrote as an object's status, so an unchanged status is not written again. */
    private record Written(Map<String, Object> status, long revision, long generation, boolean valid) {}

    private final K8sConfig config;
    private final Instance<KubernetesClient> clients;
    private final PolicyStore store;
    private final PolicyReplay replay;
    private final RealizedState realized;
    private final PolicyParser parser = new PolicyParser();
    private final Map<PolicyKind, SharedIndexInformer<GenericKubernetesResource>> informers = new EnumMap<>(PolicyKind.class);
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private ScheduledExecutorService worker;
    private KubernetesClient client;

    public PolicyWatch(K8sConfig config, Instance<KubernetesClient> clients, PolicyStore store, PolicyReplay replay,
            RealizedState realized) {
        this.config = config;
        this.clients = clients;
        this.store = store;
        this.replay = replay;
        this.realized = realized;
    }

    void start(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            return;
        }
        client = clients.get();
        worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "policy-watch"));
        worker.execute(this::startWhenReady);
    }

    void stop(@Observes ShutdownEvent ignored) {
        informers.values().forEach(SharedIndexInformer::close);
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** Whether both informers have listed their objects once (for tests and readiness of the watch). */
    public boolean synced() {
        return informers.size() == 2 && informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Informers start once the store has replayed Kafka: before that, the intake refuses everything. */
    private void startWhenReady() {
        if (!replay.isReady()) {
            worker.schedule(this::startWhenReady, 200, TimeUnit.MILLISECONDS);
            return;
        }
        for (PolicyKind kind : PolicyKind.values()) {
            var resources = client.genericKubernetesResources(context(kind));
            var informer = (kind == PolicyKind.CNP ? resources.inAnyNamespace() : resources).inform(handler(kind), 0);
            informers.put(kind, informer);
        }
        long every = config.statusInterval().toMillis();
        worker.scheduleWithFixedDelay(this::refreshStatus, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("watching %s and %s in the cluster", PolicyKind.CNP.kindName(), PolicyKind.CCNP.kindName());
    }

    static ResourceDefinitionContext context(PolicyKind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("cilium.io").withVersion("v2").withKind(kind.kindName()).withPlural(kind.plural())
                .withNamespaced(kind == PolicyKind.CNP).build();
    }

    private ResourceEventHandler<GenericKubernetesResource> handler(PolicyKind kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                enqueue(kind, Cache.metaNamespaceKeyFunc(obj), false);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
                // Our own status writes come back as updates: only spec and metadata matter.
                if (!Objects.equals(old.getMetadata().getGeneration(), obj.getMetadata().getGeneration())
                        || !Objects.equals(old.getMetadata().getLabels(), obj.getMetadata().getLabels())
                        || !Objects.equals(old.getMetadata().getAnnotations(), obj.getMetadata().getAnnotations())
                        || obj.getMetadata().getGeneration() == null) {
                    enqueue(kind, Cache.metaNamespaceKeyFunc(obj), false);
                }
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                enqueue(kind, Cache.metaNamespaceKeyFunc(obj), true);
            }
        };
    }

    private void enqueue(PolicyKind kind, String cacheKey, boolean deleted) {
        worker.execute(() -> reconcile(kind, cacheKey, deleted));
    }

    /** Brings the store and the object's status in line with the object as the informer has it now. */
    private void reconcile(PolicyKind kind, String cacheKey, boolean deleted) {
        GenericKubernetesResource obj = informers.get(kind).getIndexer().getByKey(cacheKey);
        String key = cacheKey; // the informer's key (ns/name, or name) is the store's key
        try {
            if (obj == null) {
                if (deleted) {
                    written.remove(key);
                    if (store.get(key).filter(s -> s.policy().policyKind() == kind).isPresent()) {
                        store.delete(key);
                        LOG.infof("%s %s deleted in the cluster: deleted", kind.kindName(), key);
                    }
                }
                return;
            }
            intake(kind, key, obj);
        } catch (StoreException.Unavailable e) {
            LOG.warnf("%s %s: %s; trying again in %s", kind.kindName(), key, e.getMessage(), config.retryDelay());
            worker.schedule(() -> reconcile(kind, cacheKey, deleted), config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (StoreException.NotFound e) {
            // deleted through REST meanwhile: nothing left to do
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s %s could not be reconciled; trying again in %s", kind.kindName(), key, config.retryDelay());
            worker.schedule(() -> reconcile(kind, cacheKey, deleted), config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void intake(PolicyKind kind, String key, GenericKubernetesResource obj) {
        long generation = obj.getMetadata().getGeneration() == null ? 0 : obj.getMetadata().getGeneration();
        JsonNode tree = JSON.valueToTree(obj);
        ParseResult result;
        try {
            result = parser.parseAndValidate(ClusterObjects.intakeJson(JSON, tree), "application/json");
        } catch (PolicySyntaxException e) {
            // JSON we wrote ourselves from a parsed object: cannot happen, but say so if it does.
            throw new IllegalStateException("the object did not serialize to JSON: " + e.getMessage(), e);
        }
        if (result.hasErrors()) {
            writeStatus(kind, obj, new Written(ClusterObjects.invalid(generation, result.errors()), 0, generation, false));
            LOG.infof("%s %s is invalid (%d errors): not stored", kind.kindName(), key, result.errors().size());
            return;
        }
        List<CiliumPolicy> policies = result.policies();
        PolicyStore.Result stored = store.apply(policies);
        long revision = stored.items().getFirst().revision();
        writeStatus(kind, obj, new Written(ClusterObjects.valid(generation, revision, realized.view(revision)), revision,
                generation, true));
    }

    /** Every valid object's status again: node-agents realize revisions over time. */
    private void refreshStatus() {
        written.forEach((key, w) -> {
            if (!w.valid()) {
                return;
            }
            PolicyKind kind = key.contains("/") ? PolicyKind.CNP : PolicyKind.CCNP;
            GenericKubernetesResource obj = informers.get(kind).getIndexer().getByKey(key);
            if (obj != null) {
                writeStatus(kind, obj, new Written(ClusterObjects.valid(w.generation(), w.revision(),
                        realized.view(w.revision())), w.revision(), w.generation(), true));
            }
        });
    }

    private void writeStatus(PolicyKind kind, GenericKubernetesResource obj, Written next) {
        String key = Cache.metaNamespaceKeyFunc(obj);
        Written previous = written.get(key);
        if (previous != null && previous.status().equals(next.status())) {
            return;
        }
        try {
            // The status subresource replaced as a whole, on the object as the server has it now (a
            // conflict with a concurrent edit fails here and is retried).
            var resources = client.genericKubernetesResources(context(kind));
            var scoped = kind == PolicyKind.CNP ? resources.inNamespace(obj.getMetadata().getNamespace()) : resources;
            GenericKubernetesResource current = scoped.withName(obj.getMetadata().getName()).get();
            if (current == null) {
                return; // deleted meanwhile
            }
            current.setAdditionalProperty("status", next.status());
            scoped.resource(current).updateStatus();
            written.put(key, next);
        } catch (RuntimeException e) {
            // The store is right; the status is retried by the next refresh (valid) or the next event.
            written.put(key, new Written(Map.of(), next.revision(), next.generation(), next.valid()));
            LOG.warnf("%s %s: writing the status failed: %s", kind.kindName(), key, e.getMessage());
        }
    }
}
