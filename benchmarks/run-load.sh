#!/usr/bin/env bash
# The end-to-end benchmark: the demo shop under wrk on loopback, on H2 and on PostgreSQL, with no agent, the
# Querylens agent, the OpenTelemetry Java agent and the Querylens starter measured alternately; writes the "load"
# section of benchmarks/RESULTS.md. Options go to the harness (defaults in brackets):
#   --databases h2,postgres   --configs none,querylens-agent,otel-agent,querylens-starter
#   --rounds 3   --warmup 20 (s)   --duration 30 (s)   --connections 8   --max-requests 1000000 (per wrk run)
#   --max-warmup 0 (s; when longer than --warmup, the warm-up goes on in 10 s slices until the JIT compiler threads
#     took at most --settled-jit 5 (%) of the application's CPU in a slice, or --max-warmup ran out)
#   --paced-duration 20 (s; 0 for none)   --think-time 40 (ms each connection waits before a paced request)
#   --port auto   --metrics-port auto (free ports on 127.0.0.1)   --heap 768m
#   --startup-rounds 0 (more rounds per database whose starts are stopped once ready, without load: the startup
#     figures are taken over every start; with --rounds 0 only they run, written to the "load-startup" section)
# e.g. a quick pass: benchmarks/run-load.sh --databases h2 --rounds 1 --warmup 10 --duration 10
# Needs: the demo-app module (and agent / spring-boot-starter for those configurations), wrk (installed from
# Debian's packages when missing and run as root), PostgreSQL on 127.0.0.1:5432 (user postgres, database test).
# Traffic goes to 127.0.0.1 only; every wrk run is bounded in time and in responses.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[run-load] %s\n' "$*"; }
die() { printf '[run-load] %s\n' "$*" >&2; exit 1; }

if ! command -v wrk >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || die "wrk is missing: install Debian's package (apt-get install -y wrk)"
  log "installing wrk from Debian's packages"
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
fi

[[ -f demo-app/pom.xml ]] || die "the demo-app module is not on this branch yet: nothing to measure"
modules=benchmarks,demo-app
for m in agent spring-boot-starter; do [[ -f $m/pom.xml ]] && modules+=,$m; done
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  log "building $modules"
  ./mvnw -q -B -ntp -pl "$modules" -am package -DskipTests
fi

source benchmarks/common.sh
fetch_otel_jar

starter_jars=
starter_jar=$(ls spring-boot-starter/target/querylens-spring-boot-starter-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
if [[ -n $starter_jar ]]; then
  # what the starter needs beyond a Spring Boot application: core and its libraries (the harness leaves out
  # whatever the demo jar already packages)
  lib=benchmarks/target/starter-lib
  mkdir -p "$lib"
  copy "net.ttddyy:datasource-proxy:$(prop datasource-proxy.version pom.xml)" "$lib"
  copy "com.fasterxml.jackson.core:jackson-core:$(prop jackson.version pom.xml)" "$lib"
  core_jar=$(ls core/target/querylens-core-*.jar | grep -v -e sources -e tests | head -n 1)
  starter_jars=$(realpath "$starter_jar"),$(realpath "$core_jar")$(printf ',%s' "$(realpath "$lib")"/*.jar)
fi

if [[ " $* " != *" --databases h2 "* ]]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && break; sleep 1; done
  fi
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test"
fi

command="benchmarks/run-load.sh${*:+ $*}"
exec java -cp benchmarks/target/benchmarks.jar dev.querylens.benchmarks.load.LoadSuite --root . \
  --otel-jar "$otel_jar" --starter-jars "$starter_jars" --command "$command" "$@"
