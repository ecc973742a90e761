package io.portcullis.mesh.flow;

/**
 * Where a decider hands its flow records (node-agent's flow hub: SSE, Kafka, metrics). Must not block:
 * proxies call it on their event loops.
 */
@FunctionalInterface
public interface FlowSink {

    void accept(FlowRecord flow);
}
