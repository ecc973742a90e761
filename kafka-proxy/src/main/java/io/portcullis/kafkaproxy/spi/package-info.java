/**
 * What the Kafka proxy asks of its host (node-agent, tests, benches): who the source is
 * ({@link io.portcullis.kafkaproxy.spi.SourceResolver}), what policy says about one request
 * ({@link io.portcullis.kafkaproxy.spi.KafkaPolicy}) and where each decision is recorded
 * ({@link io.portcullis.kafkaproxy.spi.FlowSink}). Plain records, no Kafka or Netty types, so the
 * host can implement them on policy-model without seeing the proxy's internals.
 */
package io.portcullis.kafkaproxy.spi;
