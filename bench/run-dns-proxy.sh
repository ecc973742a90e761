#!/usr/bin/env bash
# dns-proxy-service benchmarks (not tests; `mvn verify` never runs them). Needs dnsperf and dnsmasq.
#
#   qps:     dnsperf through the proxy vs dnsmasq as a plain forwarder without cache, both to the same
#            upstream (dnsmasq answering *.cilium.io), in one run. Target: proxy >= 1.0 x dnsmasq.
#   latency: p50 of sequential queries through the proxy minus p50 straight to the upstream.
#            Target: added p50 <= 0.3 ms.
#   hold:    answers with new addresses, held until node-agent (a stand-in answering at once) says they
#            are realized: p50/p99 from the answer's arrival to its release. Target: p99 < 50 ms.
#
# The proxy serves the seed's tofqdn-dns-visibility rules from a snapshot (no Kafka: the bench measures the
# DNS path); the querying endpoint is alliance-ship (127.10.4.2), the server kube-dns (127.10.4.53).
# Environment: BENCH_SECONDS (10), BENCH_CLIENTS (dnsperf -c, 4), BENCH_OUTSTANDING (dnsperf -q, 100),
# BENCH_HOLD_QUERIES (2000). With MAVEN_ARGS set (e.g. -Dmaven.repo.local=...) it is passed to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. dev/lib/jdk.sh
portcullis_find_jdk || exit 1
for tool in dnsperf dnsmasq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
SECONDS_RUN=${BENCH_SECONDS:-10}
CLIENTS=${BENCH_CLIENTS:-4}
OUTSTANDING=${BENCH_OUTSTANDING:-100}
HOLD_QUERIES=${BENCH_HOLD_QUERIES:-2000}
SHIP=127.10.4.2
KUBE_DNS=127.10.4.53

./mvnw -B -q -o install -DskipTests -pl policy-model,mesh-messages,mesh-runtime,test-support
./mvnw -B -q -o package -DskipTests -pl dns-proxy-service
WORK=$(mktemp -d /tmp/dns-proxy-bench.XXXXXX)
./mvnw -B -q -o dependency:build-classpath -pl dns-proxy-service -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="dns-proxy-service/target/test-classes:dns-proxy-service/target/classes:$(cat "$WORK/cp.txt")"
HELPER=("$JAVA_HOME/bin/java" -Xmx256m -cp "$CP" io.portcullis.dnsproxy.bench.DnsProxyBench)
helper() { "${HELPER[@]}" "$@"; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

read -r UP FWD PX HTTP PX2 HTTP2 DEAD <<<"$(helper freeport 7)"

dnsmasq -k -q --conf-file=/dev/null --port="$UP" --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
  --no-hosts --user="$(id -un)" --address=/cilium.io/127.200.4.10 --pid-file= 2>"$WORK/up.log" &
PIDS+=($!)
dnsmasq -k --conf-file=/dev/null --port="$FWD" --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
  --no-hosts --user="$(id -un)" --server="127.0.0.1#$UP" --cache-size=0 --dns-forward-max=1000 --pid-file= \
  2>"$WORK/fwd.log" &
PIDS+=($!)
"${HELPER[@]}" agent >"$WORK/agent.url" 2>"$WORK/agent.log" &
PIDS+=($!)
helper snapshot "$WORK/state"

start_proxy() { # port http-port upstream-port agent-url
  "$JAVA_HOME/bin/java" -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$2" \
    -Dportcullis.dns.port="$1" -Dportcullis.dns-proxy.upstream="127.0.0.1:$3" \
    -Dportcullis.dns-proxy.server-address=$KUBE_DNS -Dportcullis.dns-proxy.node-agent-url="$4" \
    -Dportcullis.dns-proxy.state-dir="$WORK/state" -Dkafka.bootstrap.servers="127.0.0.1:$DEAD" \
    -Dquarkus.log.category.\"org.apache.kafka\".level=OFF \
    -jar dns-proxy-service/target/quarkus-app/quarkus-run.jar >"$WORK/proxy-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$WORK/proxy-$1.log" >&2; echo "bench: proxy not ready" >&2; exit 1
}
until [ -s "$WORK/agent.url" ]; do sleep 0.2; done
start_proxy "$PX" "$HTTP" "$UP" "$(cat "$WORK/agent.url")"

for i in $(seq 1 1000); do echo "s$i.cilium.io A"; done >"$WORK/queries.txt"
perf() { # port -> qps
  dnsperf -s 127.0.0.1 -p "$1" -a $SHIP -d "$WORK/queries.txt" -l "$2" -c "$CLIENTS" -q "$OUTSTANDING" 2>&1 \
    | tee "$WORK/perf-$1.txt" | awk '/Queries per second/ {print $4}'
}
echo "bench: warm-up (proxy JIT, dnsmasq)"
perf "$PX" 5 >/dev/null; perf "$FWD" 2 >/dev/null
echo "bench: qps, ${SECONDS_RUN}s each, $CLIENTS clients, $OUTSTANDING outstanding"
Q_UP=$(perf "$UP" "$SECONDS_RUN"); Q_FWD=$(perf "$FWD" "$SECONDS_RUN"); Q_PX=$(perf "$PX" "$SECONDS_RUN")
grep -E 'Queries lost|Response codes' "$WORK/perf-$PX.txt" | sed 's/^/  proxy: /'
L_UP=$(helper latency "$UP" $SHIP cilium.io 5000); L_PX=$(helper latency "$PX" $SHIP cilium.io 5000)

echo "bench: hold (new addresses per answer, node-agent stand-in answers at once)"
UP2=$(mktemp "$WORK/up2.XXXX")
"${HELPER[@]}" upstream >"$UP2" 2>"$WORK/up2.log" &
PIDS+=($!)
until [ -s "$UP2" ]; do sleep 0.2; done
start_proxy "$PX2" "$HTTP2" "$(cat "$UP2")" "$(cat "$WORK/agent.url")"
helper hold "$PX2" $SHIP 1000000 500 >/dev/null # warm-up (JIT), then only the measured run's samples count
curl -fsS -X POST "http://127.0.0.1:$HTTP2/v1/dns-proxy/stats/reset-hold-samples" >/dev/null
HOLD_FAILED=$(helper hold "$PX2" $SHIP 0 "$HOLD_QUERIES")
STATS=$(helper stats "http://127.0.0.1:$HTTP2/v1/dns-proxy/stats")

awk -v up="$Q_UP" -v fwd="$Q_FWD" -v px="$Q_PX" -v lup="$L_UP" -v lpx="$L_PX" -v failed="$HOLD_FAILED" \
    -v stats="$STATS" 'BEGIN {
  split(lup, a, " "); split(lpx, b, " ")
  printf "\n%-44s %12s %12s %8s\n", "figure", "value", "target", "ratio"
  printf "%-44s %12.0f\n", "upstream direct qps", up
  printf "%-44s %12.0f\n", "dnsmasq forwarder (no cache) qps", fwd
  printf "%-44s %12.0f %12s %8.2f\n", "proxy qps (x dnsmasq)", px, ">= 1.00", px / fwd
  printf "%-44s %12.3f\n", "p50 latency upstream direct (ms)", a[1] / 1000
  printf "%-44s %12.3f\n", "p50 latency through proxy (ms)", b[1] / 1000
  added = (b[1] - a[1]) / 1000
  printf "%-44s %12.3f %12s %8.2f\n", "added p50 latency (ms)", added, "<= 0.300", added / 0.3
  match(stats, /"holdP50Ms":[0-9.]+/); p50 = substr(stats, RSTART + 12, RLENGTH - 12)
  match(stats, /"holdP99Ms":[0-9.]+/); p99 = substr(stats, RSTART + 12, RLENGTH - 12)
  match(stats, /"held":[0-9]+/); held = substr(stats, RSTART + 7, RLENGTH - 7)
  match(stats, /"holdTimeouts":[0-9]+/); to = substr(stats, RSTART + 15, RLENGTH - 15)
  printf "%-44s %12.3f\n", "hold p50, answer to release (ms)", p50
  printf "%-44s %12.3f %12s %8.2f\n", "hold p99, answer to release (ms)", p99, "< 50", p99 / 50
  printf "%-44s %12s\n", "held answers / hold timeouts / failed", held " / " to " / " failed
}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall-clock figures need a quiet machine)"
