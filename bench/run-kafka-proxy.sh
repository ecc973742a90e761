#!/usr/bin/env bash
# Kafka producer throughput through the kafka-proxy vs straight to the broker (same in-JVM KRaft broker,
# same producer settings, alternating runs). Prints each round and the median ratio proxy/direct
# (target >= 0.90). Not part of `./mvnw verify`: the test is tagged "bench" and runs only with -Pbench.
#   bench/run-kafka-proxy.sh                       # 300,000 x 512 B records, 5 rounds
#   bench/run-kafka-proxy.sh -Dbench.records=100000 -Dbench.recordSize=1024 -Dbench.rounds=5
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g}"
./mvnw -B -o -q install -DskipTests -pl policy-model,mesh-messages,mesh-runtime -am "$@"
./mvnw -B -o -Pbench test -pl kafka-proxy -Dtest=KafkaProxyProducerBench -Dsurefire.failIfNoSpecifiedTests=false \
  -DargLine=-Xmx1g "$@" 2>&1 | grep -E "kafka-proxy bench|round|Tests run|FAIL|ERROR\]" || true
