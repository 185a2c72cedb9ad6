#!/usr/bin/env bash
# Short JMH profile of the stack compositions; writes docs/bench-stacks.md (the README links it).
# Usage: scripts/bench-stacks.sh [stacks=a,b] [members=3,5] [sizes=100,1024] [iterations=3] [seconds=1]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -B -ntp -DskipTests -pl benchmarks -am package
java -cp benchmarks/target/benchmarks.jar io.cairn.bench.report.StackTable docs/bench-stacks.md "$@"
