#!/usr/bin/env bash
# Inbox benchmark: pages of 100 (GET /api/inbox?limit=100) from every depth of the inbox of one
# organization that holds 1M events, from 64 connections. Prints one Markdown table: a row per
# run and the medians.
#
#   bench/inbox.sh [cluster|embedded|single]     (default cluster)
#
# The events are made quickly: a few seconds of ingest over HTTP, then the rest inserted in SQL
# for the same organization, older than those, with UUIDv7 ids built from their timestamps.
#
# After the server's runs, the database's floor (not in embedded mode, where the database is the
# server's): the server is stopped and pgbench sends the server's own page query, from CLIENTS
# connections (16, the server's pool), each time from a random depth of the inbox.
#
# Environment: RUNS (3), DURATION seconds per run (20), WARMUP seconds (15), CONNECTIONS (64),
# EVENTS (1000000), LIMIT (100), CLIENTS (16), FLOOR=0 to skip the database's floor, KEEP=1 to
# keep the work directory.
set -euo pipefail
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

seed_inbox bench-inbox

# One cursor every $CURSOR_STRIDE events, from a walk through the whole inbox; wrk goes round them.
CURSOR_STRIDE=1000
CURSORS="$WORK/cursors"
log "walking the inbox for a cursor every $CURSOR_STRIDE events"
echo "" >"$CURSORS"
cursor=""
while true; do
  cursor=$(curl -sf -H "X-API-Key: $KEY" \
    "http://127.0.0.1:$SERVER_PORT/api/inbox?limit=$CURSOR_STRIDE${cursor:+&cursor=$cursor}" |
    jq -r '.next_cursor // empty') || die "could not list the inbox"
  [ -n "$cursor" ] || break
  echo "$cursor" >>"$CURSORS"
done
log "$(wc -l <"$CURSORS") starting points"

echo "### inbox, $MODE mode"
echo
echo "- machine: $(machine_line)"
echo "- $(conditions_line)"
echo "- $CONNECTIONS connections, one organization with $total undelivered events, pages of $LIMIT newest first, starting from a cursor every $CURSOR_STRIDE events in turn (events/page is checked on one page in 16)"
echo
echo '| server | run | req/s | p50 ms | p90 ms | p99 ms | max ms | 200s | errors by kind | events/page | RSS MB | GC ms | server CPU cores | server CPU µs a page | pg / redis / wrk cores | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  log "run $run: ${WARMUP} s warm-up, then ${DURATION} s"
  run_wrk "$CONNECTIONS" "$WARMUP" inbox.lua "$KEY" "$CURSORS" "$LIMIT" >/dev/null
  measured_run "$SERVER_PID" "$CONNECTIONS" inbox.lua "$KEY" "$CURSORS" "$LIMIT"
  ok=$(status_count "$RESULT" 200)
  # CPU a page from the CPU seconds and the pages answered, not from rounded cores.
  cpu_page=$(awk -v c="$CORES" -v r="$(field rps "$RESULT")" 'BEGIN {printf "%.1f", (r > 0 ? c * 1e6 / r : 0)}')
  per_page=$(awk -v e="$(field events_sampled "$RESULT")" -v n="$(field pages_sampled "$RESULT")" 'BEGIN {printf "%.1f", n ? e / n : 0}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s | %s |\n' \
    "$MODE" "$run" "$(field rps "$RESULT")" "$(field p50_ms "$RESULT")" \
    "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" "$(field max_ms "$RESULT")" "$ok" \
    "$(errors_by_kind "$RESULT" 200)" "$per_page" "$(rss_mb "$SERVER_PID")" \
    "$(peak_rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$cpu_page" "$SPLIT" "$BUSY"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(field rps "$RESULT")" \
    "$(field p50_ms "$RESULT")" "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" \
    "$(field max_ms "$RESULT")" "$ok" "$(error_total "$RESULT" 200)" "$(rss_mb "$SERVER_PID")" \
    "$GC_MS" "$CORES" "$BUSY" "$cpu_page" >>"$WORK/inbox.tsv"
done
file="$WORK/inbox.tsv"
printf '| **%s** | **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | %s errors | | **%s** | **%s** | **%s** | **%s** | | **%s** |\n' \
  "$MODE" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" \
  "$(median "$file" 4)" "$(median "$file" 5)" "$(median "$file" 6)" "$(median "$file" 7)" \
  "$(median "$file" 8)" "$(median "$file" 9)" "$(median "$file" 10)" "$(median "$file" 12)" \
  "$(median "$file" 11)"
echo
echo "- load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

[ "$FLOOR" != 0 ] && [ "$MODE" != embedded ] || exit 0

# The query the server sends for a page after a cursor (PostgresInbox.InboxSql), its
# parameters bound by pgbench: the cursor is a random millisecond between the oldest and the newest
# event, so pages come from every depth as in the runs above.
server_stop
read -r OLDEST NEWEST < <(server_psql -F ' ' -c "SELECT (extract(epoch FROM min(created_at)) * 1000)::bigint,
  (extract(epoch FROM max(created_at)) * 1000)::bigint FROM events WHERE org_id = '$ORG'")
cat >"$WORK/page.sql" <<'SQL'
\set ms random(:oldest, :newest)
SELECT id, type, payload, dedup_id, created_at, delivery_status, attempts
FROM events
WHERE org_id = :org AND delivery_status = ANY(:statuses)
  AND (created_at, id) < (to_timestamp(:ms / 1000.0), 'ffffffff-ffff-7fff-bfff-ffffffffffff'::uuid)
ORDER BY created_at DESC, id DESC LIMIT :rows;
SQL

# run_pgbench SECONDS [LOG_PREFIX]: CLIENTS connections asking for pages. Run in a subshell, it
# leaves the CPU seconds pgbench used in $WORK/pgbench.cpu (see run_wrk).
run_pgbench() {
  local log=()
  [ -z "${2:-}" ] || log=(--log --log-prefix="$2")
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -f "$WORK/page.sql" \
    -D org="$ORG" -D statuses='{failed,pending,retrying}' -D rows=$((LIMIT + 1)) \
    -D oldest="$OLDEST" -D newest="$NEWEST" -c "$CLIENTS" -j "$WRK_THREADS" -T "$1" "${log[@]}" \
    triggers >"$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out" >&2; die "pgbench failed"; }
  times >"$WORK/pgbench.times"
  awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/pgbench.times" >"$WORK/pgbench.cpu"
}

echo "### inbox floor: PostgreSQL alone"
echo
echo "- the server stopped; pgbench (prepared statements, text results), $CLIENTS connections, $WRK_THREADS threads, the server's page query for $((LIMIT + 1)) rows from a random depth"
echo
echo '| run | pages/s | p50 ms | p99 ms | max ms | pg cores | pg µs/page | pgbench cores | pgbench µs/page | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|'
pgbench_floor_rows :
echo
# What a page costs the server beside what it costs PostgreSQL and the client in the floor: the
# server does the floor client's work (sending the query, reading the rows) and writes the JSON.
echo "- server CPU µs a page (median) $(median "$file" 12); the floor's PostgreSQL $(median "$WORK/floor.tsv" 6) and pgbench $(median "$WORK/floor.tsv" 9) µs a page; the server's rate $(awk -v a="$(median "$file" 1)" -v b="$(median "$WORK/floor.tsv" 1)" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') of the floor's (DESIGN §5: at least 0.75)"
