#!/usr/bin/env bash
# Cairn beside JGroups 5.5.7 under one driver (benchmarks/jgroups-compare); writes docs/compare-jgroups.md.
# Usage: scripts/compare-jgroups.sh [seconds=1] [reps=2] [rows=all] [-- more driver options]
#   seconds: measured window of each measurement (each also has a warm-up of half that, at most 1 s)
#   reps:    repetitions per row and system (JGroups and Cairn alternate)
#   rows:    comma-separated row ids or globs, e.g. 'udp-fifo-n3-*,udp-total-*' (all: every row; see --list)
# The defaults take about 14–17 minutes (with a 3 s unmeasured pre-warm per pair and payload size). Env: OUT (report file), JAVA_OPTS (extra JVM options, e.g.
# -Dtcp-nodelay=true, which JGroups' tcp.xml reads).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
seconds="${1:-1}"
reps="${2:-2}"
rows="${3:-all}"
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
out="${OUT:-docs/compare-jgroups.md}"
warmup="$(awk -v s="$seconds" 'BEGIN { w = s / 2; if (w > 1) w = 1; print w }')"
command_line="scripts/compare-jgroups.sh $seconds $reps $rows${*:+ -- $*}"

mvn -B -ntp -q -DskipTests -pl benchmarks/jgroups-compare -am package
jar=benchmarks/jgroups-compare/target/jgroups-compare.jar
log=benchmarks/jgroups-compare/target/compare.log
body=benchmarks/jgroups-compare/target/compare-body.md
java_cmd=(java -Xmx2g -Djava.net.preferIPv4Stack=true ${JAVA_OPTS:-} -jar "$jar")
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

"${java_cmd[@]}" --rows "$rows" --reps "$reps" --duration "$seconds" --warmup "$warmup" --out "$body" "$@" \
  2>&1 | grep -v '^SLF4J' | tee "$log"

{
  echo "# Cairn beside JGroups — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "One driver (\`benchmarks/jgroups-compare\`, see its \`package-info.java\`) runs both systems: N members in"
  echo "one JVM over 127.0.0.1, fresh members and group name per run, JGroups and Cairn alternating."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| cores (nproc) | $(nproc) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| kernel | $(uname -sr) |"
  echo "| Java | $(java -version 2>&1 | paste -sd';' - | sed 's/;/; /g') |"
  echo "| JGroups | $(java -cp "$jar" org.jgroups.Version 2>/dev/null | head -1 | sed 's/^Version: *//') |"
  echo "| socket buffers | net.core.rmem_max $(cat /proc/sys/net/core/rmem_max), wmem_max $(cat /proc/sys/net/core/wmem_max) |"
  echo "| load average before / after | $load_before / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| JVM | ${java_cmd[*]:0:$((${#java_cmd[@]} - 2))} |"
  echo "| command | \`$command_line\` |"
  echo
  if [ "$seconds" != 1 ] || [ "$reps" != 2 ] || [ "$rows" != all ] || [ $# -gt 0 ]; then
    echo "> Not the default run (\`scripts/compare-jgroups.sh\` without arguments): a shorter or partial profile."
    echo
  fi
  cat "$body"
} > "$out"
echo "wrote $out"
