#!/usr/bin/env bash
# Builds the engine benchmarks (profile bench) and runs them: figure, target, ratio figure/target and,
# for the incremental benchmarks, the speed-up over a full recompute of the same change.
# Extra arguments go to JMH, e.g. `bench/run-engine.sh -i 5` or `bench/run-engine.sh FullResolution`
# (a regex of benchmarks to run) or `bench/run-engine.sh -prof gc`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. dev/lib/jdk.sh
portcullis_find_jdk || exit 1

./mvnw -B -q -Pbench -pl bench -am package -DskipTests

# 2 cores: one fork, short warm-up and measurement; every fork runs with -Xmx2g (@Fork in each class).
exec "$JAVA_HOME/bin/java" -Xmx2g -jar bench/target/benchmarks.jar -f 1 -wi 2 -i 3 "$@"
