#!/usr/bin/env bash
# Ingest benchmark: POST /api/events from 200 connections over 64 enterprise organizations, half
# of the requests with a unique dedup_id, then the same requests against a do-nothing Undertow
# handler (the floor). Prints one Markdown table: a row per run, the medians, and the ratio.
# With BATCH above 1, each request is a POST /api/events/batch of that many events.
#
#   bench/ingest.sh [cluster|embedded|single]     (default cluster)
#
# Environment: RUNS (3), DURATION seconds per run (20), WARMUP seconds (15), CONNECTIONS (200),
# ORGS (64), BATCH events a request (1), RATE requests a second in all (unset: as fast as the
# server answers; single events only), ENDPOINTS (unset: none; 1 or 3 endpoints an organization
# that never answer, with 3 each event matching 2 of them: see bench/README.md), ENDPOINT_STATUS
# (enabled; paused creates them paused, so their deliveries are held, not queued), SERVER_JAR to run
# a built jar instead of building this tree, FLOOR=0 to skip the floor, DISK_PROBE=0 to skip the
# disk probe, KEEP=1 to keep the work directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=${1:-cluster}
CONNECTIONS=${CONNECTIONS:-200}
ORGS=${ORGS:-64}
FLOOR=${FLOOR:-1}
BATCH=${BATCH:-1}
RATE=${RATE:-}
ENDPOINTS=${ENDPOINTS:-}
ENDPOINT_STATUS=${ENDPOINT_STATUS:-enabled}
LABEL="$(date +%s)-$RANDOM"

case "$MODE" in cluster | embedded | single) ;; *) die "usage: $0 [cluster|embedded|single]" ;; esac
[ -z "$RATE" ] || [ "$BATCH" = 1 ] || die "RATE sends single events only: leave BATCH at 1"
# A batch run answers a tenth as many requests as a single-event run: its cold code (timers,
# connection set-up, metrics) reaches the JIT's thresholds a few methods at a time long after the
# hot path is compiled, so the count of methods alone never falls to JIT_QUIET; the JIT's time in
# two steps in a row (at most 2 % of a core by default) tells when it has become negligible.
[ "$BATCH" = 1 ] || JIT_QUIET_MS=${JIT_QUIET_MS:-100}
# The wrk script and its arguments after the keys file and the run's label.
if [ -n "$RATE" ]; then
  SCRIPT=(steady.lua)
  SCRIPT_TAIL=("$RATE" "$WRK_THREADS")
else
  SCRIPT=(ingest.lua)
  SCRIPT_TAIL=("$BATCH")
fi

bench_init
ensure_tools
build_jar
disk_probe_start
case "$MODE" in
  cluster) pg_start && redis_start ;;
  single) pg_start ;;
esac
if [ -n "$ENDPOINTS" ]; then
  # The endpoints' address is the receiver's, which never answers on /stall/: the server may
  # deliver to 127.0.0.1 only with this setting.
  export TRIGGERS_WEBHOOK_ALLOW_PRIVATE=true
  receiver_start
fi
server_start "$MODE"
PG_SETTINGS=$(pg_settings)
KEYS="$WORK/keys"
create_keys "$ORGS" "$KEYS"
if [ -n "$ENDPOINTS" ]; then
  create_endpoints "$KEYS" "$ENDPOINTS" "http://127.0.0.1:$RECEIVER_PORT/stall" "$ENDPOINT_STATUS"
  log "$ORGS enterprise organizations, each with $ENDPOINTS $ENDPOINT_STATUS endpoints that never answer"
else
  log "$ORGS enterprise organizations"
fi

count_rows() { server_psql -c "SELECT count(*) FROM events"; }

# measure NAME PID RUN CHECK_ROWS: one warm-up and one measured run; prints a table row and
# appends its numbers to $WORK/NAME.tsv.
measure() {
  local name=$1 pid=$2 run=$3 check_rows=$4
  local before="" after="" rows="—" diff="—"
  log "$name run $run: a warm-up of ${WARMUP} s or more, then ${DURATION} s"
  warm_up "$pid" "$CONNECTIONS" "${SCRIPT[@]}" "$KEYS" "$LABEL-$name-w$run" "${SCRIPT_TAIL[@]}"
  sleep "$SETTLE"
  [ "$check_rows" = 0 ] || before=$(count_rows)
  measured_run "$pid" "$CONNECTIONS" "${SCRIPT[@]}" "$KEYS" "$LABEL-$name-$run" "${SCRIPT_TAIL[@]}"
  local result=$RESULT accepted
  accepted=$(status_count "$result" 202)
  printf '| %s | %s | %s |\n' "$name" "$run" "$(thread_split "$(field requests "$result")")" >>"$WORK/split.md"
  if [ "$check_rows" != 0 ]; then
    sleep "$SETTLE"
    after=$(count_rows)
    rows=$((after - before))
    diff=$((rows - accepted * BATCH))
    # wrk drops requests still in flight when it stops: at most one per connection may have been
    # committed without its 202 being counted.
    if [ "$diff" -lt 0 ] || [ "$diff" -gt $((CONNECTIONS * BATCH)) ]; then
      diff="$diff **MISMATCH**"
    fi
  fi
  BODY_BYTES=$(awk -v b="$(field body_bytes "$result")" -v n="$(field sent "$result")" 'BEGIN {printf "%.0f", b / n}')
  PAYLOAD_BYTES=$(awk -v b="$(field payload_bytes "$result")" -v n="$(field sent "$result")" -v k="$BATCH" 'BEGIN {printf "%.0f", b / n / k}')
  # CPU a request from the CPU seconds and the requests answered, not from rounded cores.
  local per_request
  per_request=$(awk -v c="$CORES" -v r="$(field rps "$result")" 'BEGIN {printf "%.1f", (r > 0 ? c * 1e6 / r : 0)}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$run" "$(field rps "$result")" "$(field p50_ms "$result")" "$(field p90_ms "$result")" \
    "$(field p99_ms "$result")" "$(field max_ms "$result")" "$accepted" \
    "$(errors_by_kind "$result" 202)" "$rows" "$diff" "$(rss_mb "$pid")" "$(peak_rss_mb "$pid")" \
    "$GC_MS" "$CORES" "$per_request" "$WARMED" "$JIT" "$SPLIT" "$BUSY" "$STALLS"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(field rps "$result")" \
    "$(field p50_ms "$result")" "$(field p90_ms "$result")" "$(field p99_ms "$result")" \
    "$(field max_ms "$result")" "$accepted" "$(error_total "$result" 202)" "$(rss_mb "$pid")" \
    "$GC_MS" "$CORES" "$BUSY" "$per_request" >>"$WORK/$name.tsv"
}

median_row() {
  local name=$1 file="$WORK/$1.tsv"
  printf '| **%s** | **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | %s errors | | | **%s** | **%s** | **%s** | **%s** | | | | **%s** | |\n' \
    "$name" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" \
    "$(median "$file" 4)" "$(median "$file" 5)" "$(median "$file" 6)" "$(median "$file" 7)" \
    "$(median "$file" 8)" "$(median "$file" 9)" "$(median "$file" 10)" "$(median "$file" 12)" \
    "$(median "$file" 11)"
}

echo "### ingest, $MODE mode"
echo
echo "- machine: $(machine_line)"
echo "- $(conditions_line)"
if [ -n "$ENDPOINTS" ] && [ "$ENDPOINT_STATUS" = paused ]; then
  echo "- each organization has $ENDPOINTS endpoints (bench/lib.sh create_endpoints; with 3, each event matches 2), paused, so every event's deliveries are written with it as held, and nothing is queued or sent"
elif [ -n "$ENDPOINTS" ]; then
  echo "- each organization has $ENDPOINTS endpoints (bench/lib.sh create_endpoints; with 3, each event matches 2), enabled, on an address that reads each request and never answers, so every event's deliveries are written with it and queued, and the few sent wait out the webhook timeout"
fi
if [ -n "$RATE" ]; then
  echo "- $CONNECTIONS connections, $ORGS enterprise organizations round-robin, every other request with a unique dedup_id, at a steady $RATE requests a second in all (lua/steady.lua)"
elif [ "$BATCH" = 1 ]; then
  echo "- $CONNECTIONS connections, $ORGS enterprise organizations round-robin, every other request with a unique dedup_id"
else
  echo "- $CONNECTIONS connections, $ORGS enterprise organizations round-robin, batches of $BATCH events (POST /api/events/batch; events/s = req/s × $BATCH), every other event with a unique dedup_id; rows − 202s counts $BATCH rows a 202"
fi
echo
echo '| server | run | req/s | p50 ms | p90 ms | p99 ms | max ms | 202s | errors by kind | rows added | rows − 202s | RSS MB | GC ms | server CPU cores | server CPU µs a request | warm-up: load, then JIT methods in its last step | JIT during the run: methods in ms | pg / redis / wrk cores | machine busy % | disk stalls ≥ 50 ms |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  measure "$MODE" "$SERVER_PID" "$run" 1
done
median_row "$MODE"
server_stop

if [ "$FLOOR" != 0 ]; then
  floor_start
  for run in $(seq "$RUNS"); do
    measure floor "$FLOOR_PID" "$run" 0
  done
  median_row floor
  floor_stop
fi

echo
echo "Server CPU µs a request by thread, during the measured runs (thread names from /proc; threads that ended during a run count in none):"
echo
echo '| server | run | I/O threads / virtual threads / Lettuce / group commit / JIT / GC / other |'
echo '|---|---|---|'
cat "$WORK/split.md"
echo
echo "- request body ${BODY_BYTES} bytes on average; payload ${PAYLOAD_BYTES} bytes an event"
if [ "$FLOOR" != 0 ]; then
  echo "- $MODE / floor: $(awk -v a="$(median "$WORK/$MODE.tsv" 1)" -v b="$(median "$WORK/floor.tsv" 1)" 'BEGIN {printf "%.1f %%", 100 * a / b}') of the floor's median req/s; $(awk -v a="$(median "$WORK/$MODE.tsv" 12)" -v b="$(median "$WORK/floor.tsv" 12)" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') times the floor's median CPU a request (DESIGN §5: at most 2)"
fi
echo "- load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
