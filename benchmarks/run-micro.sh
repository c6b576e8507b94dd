#!/usr/bin/env bash
# Runs the JMH micro benchmarks (per statement, per request, fingerprinter) with -prof gc and writes the "micro"
# section of benchmarks/RESULTS.md. Any argument is passed to JMH, e.g. a subset and shorter runs:
#   benchmarks/run-micro.sh StatementBenchmark -f 1 -wi 3 -i 3
# With no argument every benchmark runs with its annotated settings (5 forks; about 25 minutes on 2 cores).
# Take final numbers on an otherwise idle machine: the load average is written next to them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
fi

# The full suite ends with an exact allocation breakdown (heap histograms) per variant (about 2 minutes); a subset does not,
# unless ALLOC_PROFILE=1.
profile=${ALLOC_PROFILE:-$([[ $# == 0 ]] && echo 1 || echo 0)}
command="benchmarks/run-micro.sh${*:+ $*}"
exec java -Dquerylens.bench.allocProfile=$([[ $profile == 1 ]] && echo true || echo false) -cp benchmarks/target/benchmarks.jar dev.querylens.benchmarks.report.MicroSuite \
  benchmarks/RESULTS.md "$command" "$@"
