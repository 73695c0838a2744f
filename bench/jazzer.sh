#!/usr/bin/env bash
# Runs each Jazzer target of the project in fuzzing mode, one after another, each for a bounded time, and prints
# a table row per target: executions, coverage (libFuzzer's cov and ft) and findings. Not run in CI; CI replays the
# regression inputs (src/test/resources/<package>/<Class>Inputs/<method>/) in a plain test run.
#
#   bash bench/jazzer.sh                        # every target, DURATION each (default 5m)
#   DURATION=2h bash bench/jazzer.sh RestApi    # only targets whose line matches RestApi
#   EXECUTIONS=10000000 bash bench/jazzer.sh    # stop each target after that many executions instead
#                                               # (or after DURATION, when it is given too)
#
# Never pause a fuzzing JVM (SIGSTOP) to free the machine: the network targets bound each input's wall time (20 s
# for a download), and the pause counts against the input that was running, which then is reported as a hang. To
# free the machine, end the run; the next run of the target starts from the corpus the last one left.
#
# New findings (crash-*, timeout-*) are written beside the seeds, where the next plain test run replays them; the
# inputs that grew coverage go to each module's .cifuzz-corpus/ (ignored by git). Logs: target/jazzer/<name>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
EXECUTIONS=${EXECUTIONS:-0}
[ "$EXECUTIONS" != 0 ] && DURATION=${DURATION:-1000h}
DURATION=${DURATION:-5m}
FILTER=${1:-}
mkdir -p target/jazzer
# module | class#method | classes to instrument besides io.jbits.** | test harness classes not to instrument (their
# branches are the harness's, not the code's under test, and cost every execution)
TARGETS="
jbits-core|io.jbits.core.policy.ConfigGrammarsJazzerTest#aPolicyFileReadsBackTheSameOrNamesItsBadLine|
jbits-core|io.jbits.core.policy.ConfigGrammarsJazzerTest#aTimetableOrWindowHasOneLimitAtEveryMomentOrIsRefused|
jbits-core|io.jbits.core.policy.ConfigGrammarsJazzerTest#aSizeOrRateIsACountThatReadsBackOrIsRefused|
jbits-cli|io.jbits.cli.DurationsAndSizesJazzerTest#aDurationOrSizeReadsBackFromItsShortestFormOrIsRefused|
jbits-wiring|io.jbits.core.internal.RemoteNamesJazzerTest#anAcceptedNameIsOneItsTransportTakesAndReadsBackAsItself|:org.apache.hc.**
jbits-transport-http|io.jbits.transport.http.HttpDownloadJazzerTest#anAnswerIsABodyOfWhatItAnnouncedOrAClassifiedFailure|:org.apache.hc.**|io.jbits.transport.http.ScriptedAnswers:io.jbits.transport.http.MemorySocketImpl**:io.jbits.transport.http.InMemorySockets**
jbits-transport-http|io.jbits.transport.http.upload.BitsUploadClientJazzerTest#anUploadEndsInAnOutcomeWithinTheFileOrAClassifiedFailure|:org.apache.hc.**|io.jbits.transport.http.ScriptedAnswers:io.jbits.transport.http.MemorySocketImpl**:io.jbits.transport.http.InMemorySockets**
jbits-server|io.jbits.server.upload.UploadServerJazzerTest#everyPacketGetsABitsAnswerAndNoSessionHoldsMoreThanItAcknowledged|:org.eclipse.jetty.http.**|io.jbits.server.upload.LocalPackets**
jbits-daemon|io.jbits.daemon.RestApiJazzerTest#everyRefusalIsAJsonFourHundredAndLeavesTheJobAsItWas|:org.eclipse.jetty.http.**|io.jbits.daemon.LocalApi**
jbits-server|io.jbits.server.upload.UploadParsersJazzerTest#aPathBecomesSafeSegmentsOrIsRefused|
jbits-server|io.jbits.server.upload.UploadParsersJazzerTest#aContentRangeIsARangeInsideItsTotalOrA400|
"
printf '| target | executions | seconds | cov | ft | findings |\n|---|---|---|---|---|---|\n'
while IFS='|' read -r module test extra harness; do
    [ -z "$module" ] && continue
    case "$module|$test" in *"$FILTER"*) ;; *) continue ;; esac
    name=${test##*.}
    log=target/jazzer/${name/\#/.}.log
    limits=(-Djazzer.max_duration="$DURATION")
    [ "$EXECUTIONS" != 0 ] && limits+=(-Djazzer.max_executions="$EXECUTIONS")
    before=$(find "$module/src/test/resources" -name 'crash-*' -o -name 'timeout-*' 2>/dev/null | wc -l)
    env JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES="io.jbits.**$extra" \
        ${harness:+JAZZER_INSTRUMENTATION_EXCLUDES="$harness"} ./mvnw -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
        "${limits[@]}" >"$log" 2>&1 || true
    after=$(find "$module/src/test/resources" -name 'crash-*' -o -name 'timeout-*' 2>/dev/null | wc -l)
    done_line=$(grep -a 'Done [0-9]* runs in' "$log" | tail -1 || true)
    stats=$(grep -a -E '^#[0-9]+' "$log" | tail -1 || true)
    runs=$(sed -E 's/.*Done ([0-9]+) runs in ([0-9]+) second.*/\1/' <<<"$done_line")
    secs=$(sed -E 's/.*Done ([0-9]+) runs in ([0-9]+) second.*/\2/' <<<"$done_line")
    cov=$(grep -o 'cov: [0-9]*' <<<"$stats" | cut -d' ' -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' <<<"$stats" | cut -d' ' -f2 || true)
    findings=$((after - before))
    grep -aq 'BUILD SUCCESS' "$log" || findings="$findings (build failed: see $log)"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "${runs:-?}" "${secs:-?}" "${cov:-?}" "${ft:-?}" "$findings"
done <<<"$TARGETS"
