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
# Environment: RUNS (3), DURATION seconds per run (20), WARMUP seconds (15), CONNECTIONS (64),
# EVENTS (1000000), LIMIT (100), KEEP=1 to keep the work directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=${1:-cluster}
CONNECTIONS=${CONNECTIONS:-64}
EVENTS=${EVENTS:-1000000}
LIMIT=${LIMIT:-100}

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

read -r ORG KEY < <(generate_key bench-inbox)
[ -n "$KEY" ] || die "could not create the organization"
echo "$KEY" >"$WORK/keys"

log "ingesting over HTTP for 3 s"
run_wrk 16 3 ingest.lua "$WORK/keys" "seed-$(date +%s)-$RANDOM" >/dev/null
sleep "$SETTLE"
over_http=$(server_psql -c "SELECT count(*) FROM events WHERE org_id = '$ORG'")
missing=$((EVENTS - over_http))
log "$over_http events over HTTP; inserting $missing more in SQL"
if [ "$missing" -gt 0 ]; then
  # Each row is 5 ms older than the next and all are older than the HTTP ones; the id is a
  # UUIDv7 of the row's millisecond (48 bits), version 7, then md5 bits with the RFC variant.
  server_psql -v org="$ORG" -v n="$missing" <<'SQL'
INSERT INTO events (org_id, id, type, payload, dedup_id, created_at)
SELECT :'org'::uuid,
       (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0')
         || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
       'order.created',
       ('{"order_id":"ord_' || lpad(g::text, 12, '0') || '","customer":{"id":"cus_'
         || substr(h, 20, 8) || '","email":"buyer' || g % 100000 || '@example.com"},'
         || '"items":[{"sku":"SKU-10042","quantity":2,"unit_price":"19.90"},'
         || '{"sku":"SKU-20731","quantity":1,"unit_price":"4.50"}],"total":"44.30",'
         || '"currency":"EUR","channel":"web"}')::json,
       CASE WHEN g % 2 = 0 THEN 'seed-' || g END,
       ts
FROM (SELECT g,
             md5(g::text) AS h,
             date_trunc('milliseconds', now()) - interval '2 hours' + g * interval '5 ms' AS ts
      FROM generate_series(1, :n) AS g) AS seed;
SQL
fi
server_psql -c "VACUUM ANALYZE events"
total=$(server_psql -c "SELECT count(*) FROM events WHERE org_id = '$ORG'")
log "$total events in the organization's inbox"

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
echo '| server | run | req/s | p50 ms | p90 ms | p99 ms | max ms | 200s | errors by kind | events/page | RSS MB | GC ms | server CPU cores | pg / redis / wrk cores | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  log "run $run: ${WARMUP} s warm-up, then ${DURATION} s"
  run_wrk "$CONNECTIONS" "$WARMUP" inbox.lua "$KEY" "$CURSORS" "$LIMIT" >/dev/null
  measured_run "$SERVER_PID" "$CONNECTIONS" inbox.lua "$KEY" "$CURSORS" "$LIMIT"
  ok=$(status_count "$RESULT" 200)
  per_page=$(awk -v e="$(field events_sampled "$RESULT")" -v n="$(field pages_sampled "$RESULT")" 'BEGIN {printf "%.1f", n ? e / n : 0}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s |\n' \
    "$MODE" "$run" "$(field rps "$RESULT")" "$(field p50_ms "$RESULT")" \
    "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" "$(field max_ms "$RESULT")" "$ok" \
    "$(errors_by_kind "$RESULT" 200)" "$per_page" "$(rss_mb "$SERVER_PID")" \
    "$(peak_rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$SPLIT" "$BUSY"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(field rps "$RESULT")" \
    "$(field p50_ms "$RESULT")" "$(field p90_ms "$RESULT")" "$(field p99_ms "$RESULT")" \
    "$(field max_ms "$RESULT")" "$ok" "$(error_total "$RESULT" 200)" "$(rss_mb "$SERVER_PID")" \
    "$GC_MS" "$CORES" "$BUSY" >>"$WORK/inbox.tsv"
done
file="$WORK/inbox.tsv"
printf '| **%s** | **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | %s errors | | **%s** | **%s** | **%s** | | **%s** |\n' \
  "$MODE" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" \
  "$(median "$file" 4)" "$(median "$file" 5)" "$(median "$file" 6)" "$(median "$file" 7)" \
  "$(median "$file" 8)" "$(median "$file" 9)" "$(median "$file" 10)" "$(median "$file" 11)"
echo
echo "- load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
