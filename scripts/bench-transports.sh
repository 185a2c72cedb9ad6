#!/usr/bin/env bash
# Runs `cairn bench` over real transports (all members casting, one JVM, loopback) and writes a Markdown table.
# Usage: scripts/bench-transports.sh [out.md]   (QUICK=1 for a short profile)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/bench-transports.md}"
jar=cli/target/cairn.jar
[ -f "$jar" ] || mvn -B -q -ntp -DskipTests install
msgs() { case "$1" in 65536) echo "${BIG:-4000}";; *) echo "${MSGS:-100000}";; esac; }
sizes="${SIZES:-100 1024 65536}"
members="${MEMBERS:-2 3 4}"
{
  echo "# cairn bench over real transports — $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo
  echo "All members cast (one sender thread each), one JVM, 127.0.0.1; deliveries per second per member;"
  echo "latency = send to delivery under that load (HdrHistogram). \`--no-check\` runs (no trace recording)."
  echo
  echo "| stack | transport | N | size | deliveries/s per member | MB/s | p50 µs | p99 µs | p99.9 µs |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for spec in ${STACKS:-reliable-fifo:udp reliable-fifo:tcp total:udp}; do
    stack="${spec%%:*}"; tr="${spec##*:}"
    for n in $members; do
      for size in $sizes; do
        line=$(java -Xmx2g -jar "$jar" bench --stack "$stack" --transport "$tr" --members "$n" --size "$size" \
          --messages "$(msgs "$size")" --json --no-check 2>/dev/null | tail -1 || true)
        python3 - "$line" <<'PY'
import json, sys
try:
    r = json.loads(sys.argv[1])
except Exception:
    print("| (run failed) |"); sys.exit(0)
l = r["latency_us"]
print(f"| {r['stack']} | {r['transport']} | {r['members']} | {r['size']} | {r['deliveries_per_member_per_sec']:,.0f}"
      f"{'' if r['completed'] else ' (incomplete)'} | {r['mb_per_sec_per_member']:.1f} | {l['p50']:.0f} | {l['p99']:.0f} | {l['p999']:.0f} |")
PY
      done
    done
  done
} > "$out"
cat "$out"
