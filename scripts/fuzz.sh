#!/usr/bin/env bash
# Fuzzes every Jazzer target (@FuzzTest methods under */src/test/java) for a while each, one JVM at a time, and
# prints a table: target, executions, findings. Usage: scripts/fuzz.sh [seconds-per-target] [target-filter-regex]
# A finding is left where Jazzer puts it (the target's <Class>Inputs/<method>/crash-* under src/test/resources):
# it replays under plain `mvn test` from then on. Logs: target/fuzz/<Class>-<method>.log. Offline by default
# (MVN_FLAGS="-o"); the modules' dependencies must be installed (mvn -q install -DskipTests).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
filter=${2:-.}
mvn_flags=${MVN_FLAGS:--o}
mkdir -p target/fuzz
printf '%-58s %14s  %s\n' target executions findings
failed=0
while IFS= read -r file; do
    module=${file%%/src/test/java/*}
    class=$(basename "$file" .java)
    for method in $(grep -A1 '@FuzzTest' "$file" | grep -oE 'void [a-zA-Z0-9_]+\(' | sed 's/void //; s/(//'); do
        target="$class#$method"
        [[ $target =~ $filter ]] || continue
        log="target/fuzz/$class-$method.log"
        inputs=$(find "$module/src/test/resources" -path "*/${class}Inputs/$method" -type d 2>/dev/null | head -1)
        before=$(ls "$inputs" 2>/dev/null | grep -c '^crash-\|^timeout-\|^oom-')
        # -max_total_time and -timeout (per input, seconds) go to libFuzzer after Jazzer's own, so they win; the
        # JUnit time limit must outlast the run.
        JAZZER_FUZZ=1 mvn -B -ntp $mvn_flags -pl "$module" test -Dtest="$target" \
            -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.test.timeout="$((seconds + 300)) s" \
            -Dcairn.fork.timeout=$((seconds + 600)) -Djazzer.instrumentation_includes='io.cairn.**' \
            -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
            -Djazzer.internal.arg.2=-timeout=10 > "$log" 2>&1
        rc=$?
        runs=$(grep -aoE '^Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
        after=$(ls "$inputs" 2>/dev/null | grep -c '^crash-\|^timeout-\|^oom-')
        findings=$((after - before))
        if [[ $rc -ne 0 ]]; then
            failed=1
            [[ $findings -eq 0 ]] && findings="run failed"
            findings="$findings (see $log)"
        fi
        printf '%-58s %14s  %s\n' "$module $target" "${runs:-?}" "$findings"
    done
done < <(grep -rl --include='*FuzzTest.java' '@FuzzTest' --exclude-dir=target . | sed 's#^\./##' | sort)
exit $failed
