#!/usr/bin/env bash
# Propagation benchmark through the running local stack (not a test: prints figures).
# Loads the Workload's endpoints into node-agent (:8086) and its policies into policy-api (:8081), waits
# until every endpoint is ready, then times N applies: POST /v1/policies -> every endpoint of the node
# `ready` at policyRevision >= that revision. Prints p50/p90/p99/max, target, ratio, load average and
# the RSS of every stack process.
#
#   dev/stack up                     # first; this script does not start the stack
#   bench/run-propagation.sh                                            # full: 2000 endpoints, 1000 policies, 200 applies
#   bench/run-propagation.sh --endpoints 200 --policies 100 --applies 50
#   bench/run-propagation.sh --help                                     # every option
# Env: PORTCULLIS_API (default http://127.0.0.1:8081), PORTCULLIS_AGENT (default http://127.0.0.1:8086),
#      SKIP_BUILD=1 to reuse bench/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. dev/lib/jdk.sh
portcullis_find_jdk || exit 1

API="${PORTCULLIS_API:-http://127.0.0.1:8081}"
AGENT="${PORTCULLIS_AGENT:-http://127.0.0.1:8086}"

for url in "$API/v1/policies" "$AGENT/v1/endpoints"; do
  if ! curl -fsS -o /dev/null --max-time 3 "$url"; then
    echo "run-propagation: $url does not answer; start the local stack first: dev/stack up" >&2
    exit 2
  fi
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -Pbench -pl bench -am package -DskipTests
fi

rc=0
"$JAVA_HOME/bin/java" -Xmx512m -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.portcullis.bench.PropagationBench \
  --api "$API" --agent "$AGENT" "$@" || rc=$?

echo "RSS of the stack processes (ps -o rss,args, filtered on -Dportcullis.stack=$PWD/):"
total=0
while read -r pid rss args; do
  name=$(grep -o -- '-Dportcullis.stack=[^ ]*' <<<"$args" | head -1 | cut -d= -f2)
  name=${name##*/}
  printf '  %-20s pid %-8s %6d MiB\n' "$name" "$pid" $((rss / 1024))
  total=$((total + rss))
done < <(ps -eo pid=,rss=,args= | grep -- "-Dportcullis.stack=$PWD/" | grep -v grep || true) # this checkout's stack only
printf '  %-20s              %6d MiB\n' "total" $((total / 1024))
exit "$rc"
