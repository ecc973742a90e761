# Sourced by mvnw, .ci/run and dev/stack: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm (the standard place).

portcullis_java_major() { # prints the feature version of the JDK at $1, or 0
  local rel="$1/release" v
  [ -x "$1/bin/javac" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" 2>/dev/null)
  echo "${v:-0}"
}

portcullis_find_jdk() {
  local want=21 best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ] && [ "$(portcullis_java_major "$JAVA_HOME")" -ge "$want" ]; then
    return 0
  fi
  for d in /usr/lib/jvm/*/ /usr/java/*/ /opt/java/*/; do
    [ -d "$d" ] || continue
    d=${d%/}
    v=$(portcullis_java_major "$d")
    if [ "$v" -ge "$want" ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "error: Portcullis needs a JDK >= $want. JAVA_HOME=${JAVA_HOME:-<unset>} is older or unset, and none was found under /usr/lib/jvm." >&2
    echo "       Install one (e.g. 'apt-get install openjdk-21-jdk-headless') or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
