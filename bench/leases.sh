#!/usr/bin/env bash
# Inbox leases benchmark: pull consumers on one organization whose inbox holds 1M events, from 64
# connections; each takes a lease of 100 (POST /api/inbox/lease) and acks it whole
# (POST /api/inbox/leases/{id}/ack), over and over. Prints one Markdown table: a row per run and
# the medians, in cycles (a lease and its ack) per second.
#
#   bench/leases.sh [cluster|embedded|single]     (default cluster)
#
# The events are made as bench/inbox.sh makes them. Acked events leave the inbox, so before each
# measured run (and its warm-up) every event is put back, unleased, in SQL.
#
# After the server's runs, the database's floor (not in embedded mode): the server is stopped and
# pgbench sends the server's own two statements (LeaseSql's lease and ack, the ack taking all the
# lease took) from CLIENTS connections (16, the server's pool).
#
# Environment: RUNS (3), DURATION seconds per run (15), WARMUP seconds (10), CONNECTIONS (64),
# EVENTS (1000000), LIMIT (100), CLIENTS (16), FLOOR=0 to skip the database's floor, KEEP=1 to
# keep the work directory.
set -euo pipefail
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-10}
source "$(dirname "$0")/lib.sh"

MODE=${1:-cluster}
CONNECTIONS=${CONNECTIONS:-64}
EVENTS=${EVENTS:-1000000}
LIMIT=${LIMIT:-100}
CLIENTS=${CLIENTS:-16}
FLOOR=${FLOOR:-1}

case "$MODE" in cluster | embedded | single) ;; *) die "usage: $0 [cluster|embedded|single]" ;; esac

bench_init
ensure_tools
build_jar
case "$MODE" in
  cluster) pg_start && redis_start ;;
  single) pg_start ;;
esac
server_start "$MODE"
PG_SETTINGS=$(pg_settings)

seed_inbox bench-leases

# Puts every event back in the inbox, never leased, and forgets the leases.
refill() {
  server_psql -v org="$ORG" >/dev/null <<'SQL'
UPDATE events SET delivery_status = 'pending', delivered_at = NULL, lease_id = NULL,
  lease_count = 0, leasable_at = NULL
WHERE org_id = :'org' AND (delivery_status <> 'pending' OR lease_count <> 0);
TRUNCATE inbox_leases;
VACUUM ANALYZE events;
SQL
}

echo "### inbox leases, $MODE mode"
echo
echo "- machine: $(machine_line)"
echo "- $(conditions_line)"
echo "- $CONNECTIONS connections, one organization with $total events, each connection leasing $LIMIT (oldest first) then acking them all; a cycle is a lease and its ack; latencies are of both kinds of request together"
echo
echo '| server | run | cycles/s | events/s | p50 ms | p90 ms | p99 ms | max ms | 200s | errors by kind | events/lease | empty leases | RSS MB | GC ms | server CPU cores | pg / redis / wrk cores | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  refill
  log "run $run: ${WARMUP} s warm-up, then ${DURATION} s"
  run_wrk "$CONNECTIONS" "$WARMUP" leases.lua "$KEY" "$LIMIT" >/dev/null
  refill
  measured_run "$SERVER_PID" "$CONNECTIONS" leases.lua "$KEY" "$LIMIT"
  ok=$(status_count "$RESULT" 200)
  cycles=$(awk -v a="$(field acks "$RESULT")" -v d="$(field duration_s "$RESULT")" 'BEGIN {printf "%.0f", a / d}')
  per_lease=$(awk -v e="$(field events_sampled "$RESULT")" -v n="$(field leases_sampled "$RESULT")" 'BEGIN {printf "%.1f", n ? e / n : 0}')
  events_per_s=$(awk -v c="$cycles" -v p="$per_lease" 'BEGIN {printf "%.0f", c * p}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s |\n' \
    "$MODE" "$run" "$cycles" "$events_per_s" "$(field p50_ms "$RESULT")" \
    "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" "$(field max_ms "$RESULT")" "$ok" \
    "$(errors_by_kind "$RESULT" 200)" "$per_lease" "$(field empty "$RESULT")" "$(rss_mb "$SERVER_PID")" \
    "$(peak_rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$SPLIT" "$BUSY"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cycles" "$events_per_s" \
    "$(field p50_ms "$RESULT")" "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" \
    "$(field max_ms "$RESULT")" "$ok" "$(error_total "$RESULT" 200)" "$CORES" "$BUSY" >>"$WORK/leases.tsv"
done
file="$WORK/leases.tsv"
printf '| **%s** | **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | %s errors | | | | | **%s** | | **%s** |\n' \
  "$MODE" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" \
  "$(median "$file" 4)" "$(median "$file" 5)" "$(median "$file" 6)" "$(median "$file" 7)" \
  "$(median "$file" 8)" "$(median "$file" 9)" "$(median "$file" 10)"
echo
echo "- load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

[ "$FLOOR" != 0 ] && [ "$MODE" != embedded ] || exit 0

# LeaseSql's lease and ack statements, as the server sends them, with the lease's id drawn at
# random and the times from the database's clock (the server sends its own, as parameters).
server_stop
cat >"$WORK/cycle.sql" <<'SQL'
\set hi random(1, 9223372036854775806)
\set lo random(1, 9223372036854775806)
WITH picked AS (
  SELECT org_id, id FROM events
  WHERE org_id = CAST(:org AS uuid) AND delivery_status <> 'delivered' AND lease_count >= 0
    AND lease_count < 10 AND (leasable_at IS NULL OR leasable_at <= now())
  ORDER BY created_at, id
  LIMIT :rows
  FOR UPDATE SKIP LOCKED
), leased AS (
  UPDATE events e SET lease_id = CAST(lpad(to_hex(CAST(:hi AS bigint)), 16, '0') || lpad(to_hex(CAST(:lo AS bigint)), 16, '0') AS uuid),
    lease_count = e.lease_count + 1, leasable_at = now() + interval '300 s'
  FROM picked WHERE e.org_id = picked.org_id AND e.id = picked.id
  RETURNING e.id, e.type, e.payload, e.dedup_id, e.created_at, e.lease_count
), recorded AS (
  INSERT INTO inbox_leases (org_id, id, created_at, leased_until, event_ids)
  SELECT CAST(:org AS uuid), CAST(lpad(to_hex(CAST(:hi AS bigint)), 16, '0') || lpad(to_hex(CAST(:lo AS bigint)), 16, '0') AS uuid),
    now(), now() + interval '300 s', array_agg(id ORDER BY created_at, id) FROM leased
  HAVING count(*) > 0
)
SELECT id, type, payload, dedup_id, created_at, lease_count FROM leased ORDER BY created_at, id;
WITH lease AS (
  SELECT event_ids FROM inbox_leases
  WHERE org_id = CAST(:org AS uuid) AND id = CAST(lpad(to_hex(CAST(:hi AS bigint)), 16, '0') || lpad(to_hex(CAST(:lo AS bigint)), 16, '0') AS uuid)
), acknowledged AS (
  UPDATE events SET
    delivered_at = CASE WHEN delivery_status = 'delivered' THEN delivered_at ELSE now() END,
    next_attempt_at = CASE WHEN delivery_status = 'delivered' THEN next_attempt_at END,
    delivery_status = 'delivered'
  WHERE org_id = CAST(:org AS uuid) AND id = ANY((SELECT event_ids FROM lease)::uuid[])
    AND (lease_id IS NULL OR lease_id = CAST(lpad(to_hex(CAST(:hi AS bigint)), 16, '0') || lpad(to_hex(CAST(:lo AS bigint)), 16, '0') AS uuid))
  RETURNING id
)
SELECT (SELECT event_ids FROM lease) AS took, ARRAY(SELECT id FROM acknowledged) AS changed;
SQL

# run_pgbench SECONDS [LOG_PREFIX]: CLIENTS connections running cycles. Run in a subshell, it
# leaves the CPU seconds pgbench used in $WORK/pgbench.cpu (see run_wrk).
run_pgbench() {
  local log=()
  [ -z "${2:-}" ] || log=(--log --log-prefix="$2")
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -f "$WORK/cycle.sql" \
    -D org="$ORG" -D rows="$LIMIT" -c "$CLIENTS" -j "$WRK_THREADS" -T "$1" "${log[@]}" \
    triggers >"$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out" >&2; die "pgbench failed"; }
  times >"$WORK/pgbench.times"
  awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/pgbench.times" >"$WORK/pgbench.cpu"
}

echo "### inbox leases floor: PostgreSQL alone"
echo
echo "- the server stopped; pgbench (prepared statements), $CLIENTS connections, $WRK_THREADS threads, a cycle being the server's lease statement for $LIMIT events then its ack statement"
echo
echo '| run | cycles/s | p50 ms | p99 ms | max ms | pg cores | pg µs/cycle | pgbench cores | pgbench µs/cycle | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|'
pgbench_floor_rows refill

# The plans of the two statements on the full inbox, for the record.
refill
echo
echo "#### plans on the $total-event inbox (EXPLAIN ANALYZE, one cycle)"
echo
echo '```'
server_psql -v org="$ORG" <<'SQL'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH picked AS (
  SELECT org_id, id FROM events
  WHERE org_id = :'org' AND delivery_status <> 'delivered' AND lease_count >= 0
    AND lease_count < 10 AND (leasable_at IS NULL OR leasable_at <= now())
  ORDER BY created_at, id LIMIT 100 FOR UPDATE SKIP LOCKED
), leased AS (
  UPDATE events e SET lease_id = '00000000-0000-4000-8000-000000000001',
    lease_count = e.lease_count + 1, leasable_at = now() + interval '300 s'
  FROM picked WHERE e.org_id = picked.org_id AND e.id = picked.id
  RETURNING e.id, e.type, e.payload, e.dedup_id, e.created_at, e.lease_count
), recorded AS (
  INSERT INTO inbox_leases (org_id, id, created_at, leased_until, event_ids)
  SELECT :'org', '00000000-0000-4000-8000-000000000001', now(), now() + interval '300 s',
    array_agg(id ORDER BY created_at, id) FROM leased HAVING count(*) > 0
)
SELECT id, type, payload, dedup_id, created_at, lease_count FROM leased ORDER BY created_at, id;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH lease AS (
  SELECT event_ids FROM inbox_leases
  WHERE org_id = :'org' AND id = '00000000-0000-4000-8000-000000000001'
), acknowledged AS (
  UPDATE events SET
    delivered_at = CASE WHEN delivery_status = 'delivered' THEN delivered_at ELSE now() END,
    next_attempt_at = CASE WHEN delivery_status = 'delivered' THEN next_attempt_at END,
    delivery_status = 'delivered'
  WHERE org_id = :'org' AND id = ANY((SELECT event_ids FROM lease)::uuid[])
    AND (lease_id IS NULL OR lease_id = '00000000-0000-4000-8000-000000000001')
  RETURNING id
)
SELECT (SELECT event_ids FROM lease) AS took, ARRAY(SELECT id FROM acknowledged) AS changed;
ROLLBACK;
SQL
echo '```'
