#!/usr/bin/env bash
# What an agent's own start costs: an empty main started many times with no agent, the Querylens agent and the
# OpenTelemetry agent in turn; writes the "startup" section of benchmarks/RESULTS.md. Options go to the harness
# (defaults in brackets):
#   --rounds 20   --configs none,querylens-agent,otel-agent   --javas <this JDK's java>[,<another java>...]
# e.g. on both of this machine's JDKs:
#   benchmarks/run-startup.sh --javas /usr/lib/jvm/java-17-openjdk-amd64/bin/java,/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# About 2 minutes per JDK on 2 cores. Take final numbers on an otherwise idle machine: the load average is written
# next to them.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -q -B -ntp -pl benchmarks,agent -am package -DskipTests
fi

source benchmarks/common.sh
fetch_otel_jar

command="benchmarks/run-startup.sh${*:+ $*}"
exec java -cp benchmarks/target/benchmarks.jar dev.querylens.benchmarks.load.StartupSuite \
  --otel-jar "$otel_jar" --command "$command" "$@"
