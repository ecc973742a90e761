#!/usr/bin/env bash
# The node-agent HTTP proxy under load, next to the same backend direct and behind nginx proxy_pass, in one
# run: wrk against each, then the proxy's requests/s as a ratio of nginx's and the p50 latency it adds over
# the direct backend. Not a test: needs wrk, nginx, curl and jq (Debian: apt-get install wrk nginx curl jq).
#
# Uses a running stack (dev/stack up; the PORTCULLIS_* port variables as for dev/stack), or starts one
# and stops it afterwards. The proxied endpoint gets one ingress policy with ten HTTP rules; every request
# matches the last one, so all ten are evaluated. wrk connects from 127.0.0.1, which is `world` to the
# policy (fromEntities: all).
#
#   bench/run-http-proxy.sh            # 10 s per target, 2 threads, 32 connections
#   DURATION=30s CONNECTIONS=64 bench/run-http-proxy.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
HOST=127.0.0.1
API=http://$HOST:${PORTCULLIS_PORT_POLICY_API:-8081}
AGENT=http://$HOST:${PORTCULLIS_PORT_NODE_AGENT:-8086}
EP_IP=${BENCH_EP_IP:-127.40.9.1}         # the endpoint's address: the proxy listens here
BACKEND=${BENCH_BACKEND:-127.40.9.100:48180}
NGINX_PROXY=${BENCH_NGINX_PROXY:-127.40.9.101:48181}
PORT=${BENCH_PORT:-48182}                # the endpoint's port
PATH_UNDER_TEST=/api/v10/items/42

for tool in wrk nginx curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx curl jq)" >&2; exit 2; }
done

WORK=$(mktemp -d)
STARTED_STACK=0
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  curl -s -o /dev/null -X DELETE "$API/v1/namespaces/default/ciliumnetworkpolicies/bench-http" || true
  curl -s -o /dev/null -X DELETE "$AGENT/v1/endpoints/default/bench-web" || true
  [ $STARTED_STACK = 1 ] && dev/stack down || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! curl -sf "$AGENT/q/health/ready" >/dev/null || ! curl -sf "$API/q/health/ready" >/dev/null; then
  echo "bench: starting the stack (dev/stack up)"
  STARTED_STACK=1
  dev/stack up
fi

# nginx: the backend (a fixed small answer) and a proxy_pass to it with upstream keep-alive, like the agent's pool.
mkdir -p "$WORK/logs"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream backend { server $BACKEND; keepalive 64; }
  server { listen $BACKEND; keepalive_requests 1000000; location / { return 200 "hello from the backend\n"; } }
  server {
    listen $NGINX_PROXY; keepalive_requests 1000000;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
nginx -p "$WORK" -c "$WORK/nginx.conf"
for _ in $(seq 50); do [ -f "$WORK/nginx.pid" ] && break; sleep 0.1; done

# The endpoint with its backend, and ten HTTP rules on its port.
curl -sf -o /dev/null -X DELETE "$AGENT/v1/endpoints/default/bench-web" || true
code=$(curl -s -o "$WORK/reg.json" -w '%{http_code}' -H 'Content-Type: application/json' "$AGENT/v1/endpoints" \
  -d "{\"name\":\"bench-web\",\"namespace\":\"default\",\"labels\":{\"app\":\"bench-web\"},\"ips\":[\"$EP_IP\"],\"backends\":{\"$PORT\":\"$BACKEND\"}}")
case $code in 200|201) ;; *) echo "bench: registering the endpoint: HTTP $code $(cat "$WORK/reg.json")" >&2; exit 1 ;; esac
rules=""
for i in $(seq 1 10); do rules+="          - {method: GET, path: \"/api/v$i/items/[0-9]+\"}"$'\n'; done
cat >"$WORK/policy.yaml" <<EOF
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: bench-http, namespace: default}
spec:
  endpointSelector: {matchLabels: {app: bench-web}}
  ingress:
  - fromEntities: [all]
    toPorts:
    - ports: [{port: "$PORT", protocol: TCP}]
      rules:
        http:
$rules
EOF
revision=$(curl -sf -H 'Content-Type: application/yaml' --data-binary @"$WORK/policy.yaml" "$API/v1/policies" | jq -r .revision)
echo "bench: policy applied at revision $revision; waiting for the endpoint to be ready"
for _ in $(seq 120); do
  r=$(curl -s "$AGENT/v1/endpoints/default/bench-web")
  [ "$(jq -r .state <<<"$r")" = ready ] && [ "$(jq -r '.policyRevision // 0' <<<"$r")" -ge "$revision" ] && break
  sleep 0.5
done
[ "$(jq -r .state <<<"$r")" = ready ] || { echo "bench: endpoint not ready: $r" >&2; exit 1; }
for _ in $(seq 50); do curl -s -o /dev/null "http://$EP_IP:$PORT$PATH_UNDER_TEST" && break; sleep 0.2; done
check=$(curl -s -o /dev/null -w '%{http_code}' "http://$EP_IP:$PORT$PATH_UNDER_TEST")
denied=$(curl -s -o /dev/null -w '%{http_code}' "http://$EP_IP:$PORT/not/allowed")
[ "$check" = 200 ] && [ "$denied" = 403 ] || { echo "bench: proxy answers $check (allowed) / $denied (denied)" >&2; exit 1; }

run() { # NAME URL -> "rps p50_ms p99_ms"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" >"$WORK/$1.txt"
  awk -v name="$1" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad > 0) print "bench: " name ": " bad " non-2xx answers" > "/dev/stderr"; printf "%s %.3f %.3f\n", rps, p50, p99 }
  ' "$WORK/$1.txt"
}

echo "bench: warming up the proxy ($WARMUP)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://$EP_IP:$PORT$PATH_UNDER_TEST" >/dev/null
echo "bench: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, GET $PATH_UNDER_TEST (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
read -r d_rps d_p50 d_p99 < <(run direct "http://$BACKEND$PATH_UNDER_TEST")
read -r n_rps n_p50 n_p99 < <(run nginx "http://$NGINX_PROXY$PATH_UNDER_TEST")
read -r p_rps p_p50 p_p99 < <(run portcullis "http://$EP_IP:$PORT$PATH_UNDER_TEST")
# Every proxied request is a flow record; the proxy must not have shed them to keep up (FlowHub's queue).
metric() { curl -s "$AGENT/q/metrics" | awk -v m="$1" 'index($0, m) == 1 { sum += $NF } END { printf "%.0f", sum }'; }
flows=$(metric 'portcullis_flows_total{origin="http-proxy"')
flows_dropped=$(metric 'portcullis_flows_dropped_total')

printf '\n%-28s %12s %10s %10s\n' target requests/s p50_ms p99_ms
printf '%-28s %12.0f %10.3f %10.3f\n' "backend direct" "$d_rps" "$d_p50" "$d_p99"
printf '%-28s %12.0f %10.3f %10.3f\n' "nginx proxy_pass" "$n_rps" "$n_p50" "$n_p99"
printf '%-28s %12.0f %10.3f %10.3f\n' "portcullis proxy (10 rules)" "$p_rps" "$p_p50" "$p_p99"
awk -v p="$p_rps" -v n="$n_rps" -v d="$d_rps" -v pp="$p_p50" -v dp="$d_p50" -v np="$n_p50" 'BEGIN {
  printf "\nportcullis / nginx requests/s: %.2f (target >= 0.80)\n", p / n
  printf "portcullis / direct requests/s: %.2f\n", p / d
  printf "added p50 over direct: portcullis %.3f ms (target < 0.5), nginx %.3f ms\n", pp - dp, np - dp
}'
echo "flow records from the proxy: $flows, dropped by the agent: $flows_dropped; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
