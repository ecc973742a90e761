package io.portcullis.kafkaproxy.spi;

/**
 * Receives a record per decision, on the connection's event-loop thread: hand it off (queue, Kafka
 * producer) rather than doing I/O here. Exceptions are logged and ignored by the proxy.
 */
@FunctionalInterface
public interface FlowSink {

    FlowSink NONE = flow -> { };

    void record(KafkaFlow flow);
}
