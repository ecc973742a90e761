package io.portcullis.agent.k8s;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.portcullis.agent.endpoint.EndpointRequest;
import io.portcullis.agent.endpoint.EndpointValidation;
import io.portcullis.agent.endpoint.Registrations;
import io.portcullis.agent.mesh.MeshReplay;
import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The pods scheduled on this node are its endpoints: an informer on the node's pods (field selector
 * {@code spec.nodeName}) and one on namespaces (their labels are part of an endpoint) drive
 * {@link Registrations}, the same path {@code POST}/{@code DELETE /v1/endpoints} take, after the same
 * {@link EndpointValidation}. A pod that gets its address becomes an endpoint; a pod deleted, terminated or
 * gone from the node is released; a change of its labels, its namespace's labels, service account or named
 * ports re-registers it.
 *
 * <p>Level-triggered, one worker thread: events only name a pod; the worker compares the pod as the informer
 * has it now with the endpoint as the node has it, and retries later what could not be done (no identity
 * yet, broker down). Once the informers have listed everything, local endpoints without a pod are released:
 * with the watch on, the pods are the truth (a pod deleted while the agent was down leaves no endpoint).
 */
@ApplicationScoped
public class PodWatch {

    private static final Logger LOG = Logger.getLogger(PodWatch.class);

    private final PodWatchConfig config;
    private final Instance<KubernetesClient> clients;
    private final NodeState state;
    private final Registrations registrations;
    private final MeshReplay replay;
    private volatile SharedIndexInformer<Pod> pods;
    private volatile SharedIndexInformer<Namespace> namespaces;
    private ScheduledExecutorService worker;

    public PodWatch(PodWatchConfig config, Instance<KubernetesClient> clients, NodeState state,
                    Registrations registrations, MeshReplay replay) {
        this.config = config;
        this.clients = clients;
        this.state = state;
        this.registrations = registrations;
        this.replay = replay;
    }

    void start(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            return;
        }
        worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "pod-watch"));
        worker.execute(this::startWhenReplayed);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (pods != null) {
            pods.close();
        }
        if (namespaces != null) {
            namespaces.close();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** Registrations are refused until the agent has replayed its topics: start after that. */
    private void startWhenReplayed() {
        if (!replay.isReplayed()) {
            worker.schedule(this::startWhenReplayed, 200, TimeUnit.MILLISECONDS);
            return;
        }
        namespaces = clients.get().namespaces().inform(handler(ns -> podsOf(ns.getMetadata().getName())
                .forEach(this::enqueue)), 0);
        worker.execute(this::startPods);
    }

    /** Pods once the namespaces are known: a pod registered without its namespace's labels would churn. */
    private void startPods() {
        if (!namespaces.hasSynced()) {
            worker.schedule(this::startPods, 100, TimeUnit.MILLISECONDS);
            return;
        }
        var all = clients.get().pods().inAnyNamespace();
        // The API server sends only this node's pods; PodEndpoints checks the node again either way.
        pods = (config.nodeFieldSelector() ? all.withField("spec.nodeName", state.node()) : all)
                .inform(handler(pod -> enqueue(Cache.metaNamespaceKeyFunc(pod))), 0);
        worker.execute(this::pruneWhenSynced);
        LOG.infof("watching the pods of node %s", state.node());
    }

    private <T> ResourceEventHandler<T> handler(Consumer<T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T old, T obj) {
                changed.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                changed.accept(obj);
            }
        };
    }

    private Set<String> podsOf(String namespace) {
        Set<String> keys = new HashSet<>();
        if (pods != null) {
            pods.getStore().list().stream().filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                    .forEach(p -> keys.add(Cache.metaNamespaceKeyFunc(p)));
        }
        return keys;
    }

    private void enqueue(String podKey) {
        worker.execute(() -> reconcile(podKey));
    }

    /** Local endpoints whose pod is gone (deleted while this agent was down) are released, once. */
    private void pruneWhenSynced() {
        if (!pods.hasSynced() || !namespaces.hasSynced()) {
            worker.schedule(this::pruneWhenSynced, 200, TimeUnit.MILLISECONDS);
            return;
        }
        for (String id : state.snapshot().endpoints().keySet()) {
            if (pods.getStore().getByKey(id) == null) {
                enqueue(id);
            }
        }
    }

    /** Makes the endpoint {@code id} ({@code namespace/name}, the pod's key) what its pod says. */
    private void reconcile(String id) {
        try {
            Pod pod = pods.getStore().getByKey(id);
            Namespace ns = pod == null ? null : namespaces.getStore().getByKey(pod.getMetadata().getNamespace());
            Optional<EndpointRequest> request = PodEndpoints.request(state.node(), pod, ns);
            LocalEndpoint current = state.snapshot().endpoint(id);
            if (request.isEmpty()) {
                if (current != null) {
                    registrations.deregister(id);
                    LOG.infof("pod %s: endpoint released", id);
                }
                return;
            }
            EndpointRecord wanted = EndpointValidation.toRecord(state.node(), request.get());
            if (current != null && !current.spec().equals(wanted)) {
                registrations.deregister(id); // a new spec: released, then registered again as it is now
            }
            if (current == null || !current.spec().equals(wanted) || current.identity() == null) {
                registrations.register(wanted);
                LOG.infof("pod %s: endpoint %s", id, current == null ? "registered" : "updated");
            }
        } catch (ApiException e) {
            if (e.status() == 422) {
                // The pod cannot be an endpoint as it is (e.g. a label Cilium would refuse): say why, once.
                LOG.warnf("pod %s is not an endpoint: %s", id, e.getMessage());
                return;
            }
            retry(id, e.getMessage());
        } catch (RuntimeException e) {
            retry(id, e.toString());
        }
    }

    private void retry(String id, String why) {
        LOG.debugf("pod %s: %s; trying again in %s", id, why, config.retryDelay());
        if (!worker.isShutdown()) {
            worker.schedule(() -> reconcile(id), config.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
