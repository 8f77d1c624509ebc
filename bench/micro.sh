#!/usr/bin/env bash
# JMH microbenchmarks of the per-request work of ingest (module microbenchmarks). Builds the
# benchmark jar when it is missing or older than the sources it is made from, then runs it.
#
#   bench/micro.sh                     every benchmark, short settings (about 2 minutes)
#   bench/micro.sh RateLimiter         only benchmarks matching a regular expression
#   bench/micro.sh -f 3 -i 10 Ingest   any JMH options: then none of the defaults apply
#   bench/micro.sh -h                  JMH's own help; -l lists the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

DEFAULTS=(-f 1 -wi 3 -i 5 -w 1s -r 1s)
JAR=microbenchmarks/target/microbenchmarks.jar
SOURCES=(pom.xml core adapters-http microbenchmarks)

JAVA_HOME=$(scripts/find-jdk)
export JAVA_HOME

if [ ! -f "$JAR" ] || [ -n "$(find "${SOURCES[@]}" -name target -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit)" ]; then
  echo "building the benchmarks" >&2
  ./mvnw -B -q -pl microbenchmarks -am package -DskipTests >&2
fi

options=("${DEFAULTS[@]}")
for argument in "$@"; do
  if [[ "$argument" == -* ]]; then
    options=()
    break
  fi
done
exec "$JAVA_HOME/bin/java" -jar "$JAR" "${options[@]}" "$@"
