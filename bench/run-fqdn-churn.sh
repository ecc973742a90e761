#!/usr/bin/env bash
# FQDN cache churn (not a test): 100,000 distinct names with a 1 s TTL through policy-model's FqdnCache;
# after expiry and GC the heap in use must be back within 20% of where it started. Prints the figures and
# the ratio; exit 1 when over. Arguments: [names] [endpoints]. SKIP_BUILD=1 reuses bench/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. dev/lib/jdk.sh
portcullis_find_jdk || exit 1
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -Pbench -pl bench -am package -DskipTests
fi
# Serial GC: System.gc() then compacts fully, so "heap used" is what is live.
exec "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.portcullis.bench.FqdnChurnBench "$@"
