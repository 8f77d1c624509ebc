#!/usr/bin/env bash
# The database's floor: how many events a second PostgreSQL alone makes durable on this machine,
# inserted as fast as a plain client can into the server's own events table (same indexes, ON
# CONFLICT on the dedup index, fsync and synchronous_commit on), with no HTTP or Redis in the way.
# DESIGN §5 asks batch ingest for at least 0.85 of it.
#
#   bench/insert.sh
#
# The client is insert/InsertFloor.java, run from the server's jar (its JDBC driver): it makes each
# row's values itself (ids, a ~260-byte order, a dedup id on every other row) and sends them as
# parameters of a prepared statement, CLIENTS connections each committing ROWS rows a transaction,
# as the group commit does at batch load (its 2 writers, each commit holding up to 500 rows, which
# five queued requests of 100 events fill). Three statement shapes the server could use are tried
# for TRIAL seconds each (SHAPES: multi-row VALUES, unnest of one array per column, COPY into a
# temporary table then INSERT … SELECT, since COPY alone cannot skip a taken dedup id), and the
# runs use the fastest, since the target is a share of what PostgreSQL can do.
#
# Environment: RUNS (3), DURATION seconds per run (20), WARMUP seconds (15), ROWS a commit (500),
# CLIENTS (2), SHAPES ("values unnest copy"), TRIAL seconds a shape (8), DISK_PROBE=0 to skip the
# disk probe, KEEP=1 to keep the work directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=${ROWS:-500}
CLIENTS=${CLIENTS:-2}
SHAPES=${SHAPES:-values unnest copy}
TRIAL=${TRIAL:-8}

bench_init
ensure_tools
build_jar
disk_probe_start
pg_start
# The server creates its schema at start; it is stopped again before the runs.
server_start single
server_stop
PG_SETTINGS=$(pg_settings)

mkdir -p "$WORK/insert-classes"
"$JAVA_HOME/bin/javac" -cp "$JAR" -d "$WORK/insert-classes" "$BENCH_DIR/insert/InsertFloor.java" ||
  die "the insert client did not compile"

# run_inserts SHAPE SECONDS: one run of the client; prints "ROWS COMMITS SECONDS" of the run and
# leaves each commit's latency in µs in $WORK/latencies.us.
run_inserts() {
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$JAR:$WORK/insert-classes" InsertFloor \
    "jdbc:postgresql://127.0.0.1:$PG_PORT/triggers" "$1" "$CLIENTS" "$ROWS" "$2" \
    "$WORK/latencies.us" >"$WORK/insert.out" 2>&1 ||
    { cat "$WORK/insert.out" >&2; die "the insert client failed"; }
  sed -n 's/^result //p' "$WORK/insert.out"
}

log "trying the statement shapes: $SHAPES, ${TRIAL} s each after a ${WARMUP} s warm-up"
run_inserts "${SHAPES%% *}" "$WARMUP" >/dev/null
SHAPE="" best=0 tried=""
for shape in $SHAPES; do
  rate=$(run_inserts "$shape" "$TRIAL" | awk '{printf "%.0f", $1 / $3}')
  tried="$tried${tried:+ · }$shape $rate"
  if [ "$rate" -gt "$best" ]; then
    SHAPE=$shape best=$rate
  fi
done

echo "### insert floor: PostgreSQL alone"
echo
echo "- machine: $(machine_line)"
echo "- PostgreSQL ${PG_SETTINGS}; insert/InsertFloor.java, ${WARMUP} s warm-up then ${DURATION} s per run"
echo "- $CLIENTS connections, $ROWS rows a transaction into the events table (~260-byte payload, a dedup_id on every other row), prepared statements with the client's values"
echo "- statement shapes, rows/s over ${TRIAL} s each: $tried; the runs use **$SHAPE**"
echo
echo '| run | rows/s | commits/s | commit p50 ms | p99 ms | max ms | pg cores | machine busy % | disk stalls ≥ 50 ms |'
echo '|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  log "insert run $run: ${WARMUP} s warm-up, then ${DURATION} s of $SHAPE"
  run_inserts "$SHAPE" "$WARMUP" >/dev/null
  db0=$(db_cpu_seconds)
  machine0=$(machine_jiffies)
  started=$(date +%s%3N)
  result=$(run_inserts "$SHAPE" "$DURATION")
  finished=$(date +%s%3N)
  machine1=$(machine_jiffies)
  db1=$(db_cpu_seconds)
  read -r rows commits seconds <<<"$result"
  awk '{print $1 / 1000}' "$WORK/latencies.us" | sort -g >"$WORK/latencies"
  # PostgreSQL works only while the client inserts, so its cores are counted over the client's
  # own seconds, not the JVM's start around them.
  row=$(awk -v rows="$rows" -v commits="$commits" -v s="$seconds" \
    -v pg="$(echo "$db0 $db1" | awk '{print $3 - $1}')" \
    -v busy="$(echo "$machine0 $machine1" | awk '{printf "%.0f", 100 * ($3 - $1) / ($4 - $2)}')" \
    'BEGIN {printf "%.0f\t%.0f\t%.2f\t%s", rows / s, commits / s, pg / s, busy}')
  p50=$(awk -v n="$commits" 'NR == int(n * 0.5) + 1 {printf "%.2f", $1}' "$WORK/latencies")
  p99=$(awk -v n="$commits" 'NR == int(n * 0.99) + 1 {printf "%.2f", $1}' "$WORK/latencies")
  max=$(tail -n 1 "$WORK/latencies" | awk '{printf "%.2f", $1}')
  IFS=$'\t' read -r rps cps cores busy <<<"$row"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$run" "$rps" "$cps" "$p50" "$p99" \
    "$max" "$cores" "$busy" "$(disk_stalls "$started" "$finished")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rps" "$cps" "$p50" "$p99" "$max" "$cores" "$busy" \
    >>"$WORK/insert.tsv"
done
f="$WORK/insert.tsv"
printf '| **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | |\n' \
  "$(median "$f" 1)" "$(median "$f" 2)" "$(median "$f" 3)" "$(median "$f" 4)" \
  "$(median "$f" 5)" "$(median "$f" 6)" "$(median "$f" 7)"
