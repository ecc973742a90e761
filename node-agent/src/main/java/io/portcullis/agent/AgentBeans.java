package io.portcullis.agent;

import io.portcullis.agent.endpoint.Registrations;
import io.portcullis.agent.fqdn.InputOffsets;
import io.portcullis.agent.fqdn.IpRealization;
import io.portcullis.agent.mesh.EndpointPublisher;
import io.portcullis.agent.mesh.MeshReplay;
import io.portcullis.agent.mesh.TopicHandlers;
import io.portcullis.agent.realized.RealizedReports;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.NodeState;
import io.portcullis.agent.state.StateWaiters;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The plain-Java state and logic, as beans for the REST and Kafka shells. */
public class AgentBeans {

    @Produces
    @Singleton
    NodeState nodeState(@ConfigProperty(name = "portcullis.node.name", defaultValue = "node-1") String node) {
        return NodeState.coalescing(node);
    }

    @Produces
    @Singleton
    ClusterIdentities clusterIdentities() {
        return new ClusterIdentities();
    }

    @Produces
    @Singleton
    StateWaiters stateWaiters(NodeState state) {
        return new StateWaiters(state);
    }

    @Produces
    @Singleton
    RealizedReports realizedReports() {
        return new RealizedReports();
    }

    @Produces
    @Singleton
    TopicHandlers topicHandlers(NodeState state, ClusterIdentities cluster, RealizedReports reports,
                                InputOffsets offsets) {
        return new TopicHandlers(state, cluster, reports, offsets);
    }

    @Produces
    @Singleton
    InputOffsets inputOffsets() {
        return new InputOffsets();
    }

    @Produces
    @Singleton
    IpRealization ipRealization(NodeState state, ClusterIdentities cluster, InputOffsets offsets) {
        return new IpRealization(state, cluster, offsets);
    }

    @Produces
    @Singleton
    Registrations registrations(NodeState state, StateWaiters waiters, EndpointPublisher publisher,
                                AgentConfig config, MeshReplay replay) {
        return new Registrations(state, waiters, publisher, config.registerTimeout(), replay::isReplayed);
    }
}
