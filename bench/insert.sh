#!/usr/bin/env bash
# The database's floor: how many events a second PostgreSQL alone makes durable on this machine,
# written as the server's group commit writes them (multi-row INSERTs into the server's own events
# table, ON CONFLICT on the dedup index, fsync and synchronous_commit on), by pgbench, with no
# HTTP, JVM or Redis in the way. DESIGN §5 gives ~55k rows/s for its reference machine.
#
#   bench/insert.sh
#
# Environment: RUNS (3), DURATION seconds per run (20), WARMUP seconds (15), BATCH rows per INSERT
# (100), CLIENTS (2, as many as the server's group-commit writers), DISK_PROBE=0 to skip the disk
# probe, KEEP=1 to keep the work directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BATCH=${BATCH:-100}
CLIENTS=${CLIENTS:-2}

bench_init
ensure_tools
build_jar
disk_probe_start
pg_start
# The server creates its schema at start; it is stopped again before the runs.
server_start single
server_stop
PG_SETTINGS=$(pg_settings)

# 64 organizations, UUIDv7 ids of the row's millisecond, a ~260-byte order (the payload of
# lua/ingest.lua) and a dedup id on every other row.
cat >"$WORK/insert.sql" <<'SQL'
INSERT INTO events (org_id, id, type, payload, dedup_id, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad((g % 64)::text, 12, '0'))::uuid,
       (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0')
         || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
       'order.created',
       ('{"order_id":"ord_' || substr(h, 1, 12) || '","customer":{"id":"cus_' || substr(h, 13, 8)
         || '","email":"buyer' || g || '@example.com"},'
         || '"items":[{"sku":"SKU-10042","quantity":2,"unit_price":"19.90"},'
         || '{"sku":"SKU-20731","quantity":1,"unit_price":"4.50"}],"total":"44.30",'
         || '"currency":"EUR","channel":"web"}')::json,
       CASE WHEN g % 2 = 0 THEN 'floor-' || h END,
       ts
FROM (SELECT g, md5(random()::text) AS h, clock_timestamp() AS ts
      FROM generate_series(1, :rows) AS g) AS r
ON CONFLICT (org_id, dedup_id) WHERE dedup_id IS NOT NULL DO NOTHING;
SQL

# run_pgbench SECONDS [LOG_PREFIX]: CLIENTS connections inserting BATCH rows a transaction.
run_pgbench() {
  local log=()
  [ -z "${2:-}" ] || log=(--log --log-prefix="$2")
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -f "$WORK/insert.sql" \
    -D rows="$BATCH" -c "$CLIENTS" -j "$CLIENTS" -T "$1" "${log[@]}" triggers >"$WORK/pgbench.out" 2>&1 ||
    { cat "$WORK/pgbench.out" >&2; die "pgbench failed"; }
}

echo "### insert floor: PostgreSQL alone"
echo
echo "- machine: $(machine_line)"
echo "- PostgreSQL ${PG_SETTINGS}; pgbench, ${WARMUP} s warm-up then ${DURATION} s per run"
echo "- $CLIENTS connections, INSERTs of $BATCH rows into the events table (~260-byte payload, a dedup_id on every other row), each its own transaction"
echo
echo '| run | rows/s | commits/s | commit p50 ms | p99 ms | max ms | pg cores | machine busy % | disk stalls ≥ 50 ms |'
echo '|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  log "insert run $run: ${WARMUP} s warm-up, then ${DURATION} s"
  run_pgbench "$WARMUP"
  rows0=$(server_psql -c "SELECT count(*) FROM events")
  db0=$(db_cpu_seconds)
  machine0=$(machine_jiffies)
  started=$(date +%s%3N)
  run_pgbench "$DURATION" "$WORK/run$run"
  finished=$(date +%s%3N)
  machine1=$(machine_jiffies)
  db1=$(db_cpu_seconds)
  rows1=$(server_psql -c "SELECT count(*) FROM events")
  seconds=$(awk -v a="$started" -v b="$finished" 'BEGIN {print (b - a) / 1000}')
  # pgbench's per-transaction log: the third field is the transaction's latency in µs.
  cat "$WORK/run$run".* | awk '{print $3 / 1000}' | sort -g >"$WORK/latencies"
  commits=$(grep -c . "$WORK/latencies")
  row=$(awk -v rows=$((rows1 - rows0)) -v commits="$commits" -v s="$seconds" \
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
  rm -f "$WORK/run$run".*
done
f="$WORK/insert.tsv"
printf '| **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | |\n' \
  "$(median "$f" 1)" "$(median "$f" 2)" "$(median "$f" 3)" "$(median "$f" 4)" \
  "$(median "$f" 5)" "$(median "$f" 6)" "$(median "$f" 7)"
