#!/usr/bin/env bash
# Webhook benchmark: the server delivers to a fast local receiver (receiver/Receiver.java) the
# events of 64 enterprise organizations whose webhooks all point at it. Prints two Markdown tables,
# each with a row per run and the medians:
#
# 1. deliveries per second: BACKLOG events ingested in batches as fast as the server takes them,
#    the deliveries made meanwhile, then the rate at which the server drains what is left;
# 2. ingest-to-receiver latency while wrk ingests a steady RATE events per second.
#
#   bench/webhooks.sh [cluster|embedded|single]     (default cluster)
#
# Environment: RUNS (3), DURATION seconds per latency run (20), WARMUP seconds (15), ORGS (64),
# BACKLOG events (100000), BATCH events per request (100), BATCH_CONNECTIONS (16), RATE events per
# second (2000), CONNECTIONS for the steady ingest (200), DRAIN_TIMEOUT seconds to wait for the last
# deliveries (180), ENDPOINTS (unset: each organization's default webhook; 1 or 3 endpoints created
# through POST /api/endpoints, with 3 each event matching 2 of them; see create_endpoints in lib.sh),
# SERVER_JAR to run a built jar instead of building this tree, LATENCY=0 to skip the latency
# table, DISK_PROBE=0 to skip the disk probe, WARM_DRAINS backlog drains made first in the same
# server and left out of the medians (0), KEEP=1 to keep the work directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODE=${1:-cluster}
ORGS=${ORGS:-64}
BACKLOG=${BACKLOG:-100000}
BATCH=${BATCH:-100}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-16}
RATE=${RATE:-2000}
CONNECTIONS=${CONNECTIONS:-200}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-180}
ENDPOINTS=${ENDPOINTS:-}
LATENCY=${LATENCY:-1}
WARM_DRAINS=${WARM_DRAINS:-0}
# How many of an organization's endpoints each event is delivered to.
MATCHES=1
[ "$ENDPOINTS" != 3 ] || MATCHES=2
# The most seconds wrk may take to send the backlog.
BUILD_LIMIT=${BUILD_LIMIT:-300}
LABEL="$(date +%s)-$RANDOM"

# DESIGN §5.
TARGET_DELIVERIES=5000
TARGET_P95_MS=200
TARGET_RATE=2000

case "$MODE" in cluster | embedded | single) ;; *) die "usage: $0 [cluster|embedded|single]" ;; esac

# The receiver listens on 127.0.0.1, a webhook target the server refuses unless this is set.
export TRIGGERS_WEBHOOK_ALLOW_PRIVATE=true

bench_init
ensure_tools
build_jar
disk_probe_start
case "$MODE" in
  cluster) pg_start && redis_start ;;
  single) pg_start ;;
esac
receiver_start
server_start "$MODE"
PG_SETTINGS=$(pg_settings)
KEYS="$WORK/keys"
create_keys "$ORGS" "$KEYS"
if [ -z "$ENDPOINTS" ]; then
  while read -r key; do
    curl -sf -X POST "http://127.0.0.1:$SERVER_PORT/api/webhook/config" -H "X-API-Key: $key" \
      -H 'Content-Type: application/json' \
      -d "{\"webhook_url\":\"http://127.0.0.1:$RECEIVER_PORT/webhook\"}" >/dev/null ||
      die "could not configure a webhook"
  done <"$KEYS"
  ENDPOINTS_LINE="each with its webhook (its default endpoint)"
else
  create_endpoints "$KEYS" "$ENDPOINTS" "http://127.0.0.1:$RECEIVER_PORT/webhook"
  ENDPOINTS_LINE="each with $ENDPOINTS endpoints (POST /api/endpoints; each event matches $MATCHES: bench/lib.sh create_endpoints)"
fi
log "$ORGS enterprise organizations, $ENDPOINTS_LINE, on the receiver"

count_events() { server_psql -c "SELECT count(*) FROM events"; }

# now_ms: milliseconds since the epoch, the unit of the receiver's times.
now_ms() { date +%s%3N; }

# wait_delivered EVENTS: waits until the receiver has had a delivery of each of EVENTS events to
# each endpoint it matches, MATCHES distinct deliveries an event (or DRAIN_TIMEOUT seconds went
# by), and prints its stats then.
wait_delivered() {
  local wanted=$(($1 * MATCHES)) deadline stats
  deadline=$(($(now_ms) + DRAIN_TIMEOUT * 1000))
  while :; do
    stats=$(receiver_stats)
    echo "$(field now_ms "$stats") $(field distinct "$stats")" >>"$WORK/drain.samples"
    if [ "$(field distinct "$stats")" -ge "$wanted" ]; then
      echo "$stats"
      return 0
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "$((wanted - $(field distinct "$stats"))) deliveries still not made after ${DRAIN_TIMEOUT} s"
      echo "$stats"
      return 0
    fi
    sleep 0.2
  done
}

# delivery_outcomes SINCE_MS: "retried undelivered" over the deliveries of the events created since
# SINCE_MS: those that took more than one attempt, and those not delivered (yet).
delivery_outcomes() {
  server_psql -c "SELECT count(*) FILTER (WHERE d.attempts > 1),
      count(*) FILTER (WHERE d.status <> 'delivered')
    FROM events e JOIN deliveries d ON d.org_id = e.org_id AND d.event_id = e.id
    WHERE e.created_at >= to_timestamp($1 / 1000.0)" | tr '|' ' '
}

# per_path BEFORE AFTER: the deliveries to each receiver path between two stats lines, as
# "all 2000 · created 2000" (the path after /webhook/; "webhook" for the default endpoint's).
per_path() {
  { field paths "$1" | tr ',' '\n' | sed 's/^/0 /'; field paths "$2" | tr ',' '\n' | sed 's/^/1 /'; } |
    awk '$2 != "none" { n = split($2, p, ":"); path = p[1]; count = p[n]; sub(/^\/webhook\/?/, "", path);
      if (path == "") path = "webhook"; if ($1 == 0) before[path] = count; else after[path] = count }
      END { for (path in after) { d = after[path] - before[path]; if (d > 0) out = out (out ? " · " : "") path " " d }
        print (out ? out : "none") }'
}

# copies_check EVENTS BEFORE AFTER: whether each of the EVENTS events of a run reached each endpoint
# it matches once: "yes" when the distinct events grew by EVENTS, the distinct deliveries by
# MATCHES times that, and no delivery went to the endpoint that matches none (invoice); what
# differs otherwise.
copies_check() {
  local events=$1 got_events got_pairs invoice
  got_events=$(grown events "$2" "$3")
  got_pairs=$(grown distinct "$2" "$3")
  invoice=$(per_path "$2" "$3" | tr '·' '\n' | awk '$1 == "invoice" {print $2}')
  if [ "$got_events" -eq "$events" ] && [ "$got_pairs" -eq $((events * MATCHES)) ] && [ -z "$invoice" ]; then
    echo "yes"
  else
    echo "**NO**: $got_events events, $got_pairs distinct deliveries, ${invoice:-0} to invoice"
  fi
}

# A mark of the CPU and GC counters that usage_since compares with: time, server CPU and GC,
# PostgreSQL and Redis CPU, receiver CPU, the machine's busy and total jiffies.
usage_mark() {
  echo "$(now_ms) $(cpu_seconds "$SERVER_PID") $(gc_seconds "$SERVER_PID") $(db_cpu_seconds)" \
    "$(cpu_seconds "$RECEIVER_PID") $(machine_jiffies)"
}

# usage_since MARK: sets GC_MS (the server's GC time), CORES (its CPU) and SPLIT (the cores of
# PostgreSQL, Redis and the receiver) and BUSY (how busy the machine was, %) since MARK.
usage_since() {
  local usage
  usage=$(echo "$1 $(usage_mark)" | awk '{
    d = ($9 - $1) / 1000
    printf "%.0f|%.2f|%.2f / %.2f / %.2f|%.0f\n", ($11 - $3) * 1000, ($10 - $2) / d,
      ($12 - $4) / d, ($13 - $5) / d, ($14 - $6) / d, 100 * ($15 - $7) / ($16 - $8) }')
  IFS='|' read -r GC_MS CORES SPLIT BUSY <<<"$usage"
}

# drain_split DELIVERIES: the server's CPU during the drain by part of the path, in µs a delivery,
# from $WORK/drain.before and drain.after, as "VT / DB / QUEUE / DISPATCH / JIT / GC / OTHER": the
# carriers of the virtual threads (each attempt, its HTTP exchange included), the delivery ledger's
# and the group commit's writers (the names /proc keeps of triggers-delivery-claims, -results and
# triggers-group-commit), Lettuce's event loops, the dispatcher's intake and sweep and the sender's
# deadlines (triggers-webhook-*), the JIT, the collector, and every other thread.
drain_split() {
  awk -F'|' -v hz="$(getconf CLK_TCK)" -v n="$1" '
    FNR == NR {before[$1] = $3; next}
    {
      ticks = $3 - before[$1]
      name = $2
      if (name ~ /^ForkJoinPool-/) part = 1
      else if (name ~ /^triggers-(delive|group-)/) part = 2
      else if (name ~ /^lettuce-/) part = 3
      else if (name ~ /^triggers-webhoo/) part = 4
      else if (name ~ /CompilerThre/) part = 5
      else if (name ~ /^(GC Thread#|G1 )/) part = 6
      else part = 7
      sum[part] += ticks
    }
    END {
      for (part = 1; part <= 7; part++) {
        printf "%s%.1f", (part > 1 ? " / " : ""), (n > 0 ? sum[part] / hz * 1e6 / n : 0)
      }
      print ""
    }' "$WORK/drain.before" "$WORK/drain.after"
}

# run_batches: sends BACKLOG events through batch.lua and prints wrk's RESULT line. wrk cannot
# stop after a number of requests: it is interrupted once each thread wrote that it is done.
run_batches() {
  local done_file="$WORK/batches.done" pid
  rm -f "$done_file"
  wrk -t "$WRK_THREADS" -c "$BATCH_CONNECTIONS" -d "${BUILD_LIMIT}s" --timeout "${WRK_TIMEOUT}s" \
    -s "$BENCH_DIR/lua/batch.lua" "http://127.0.0.1:$SERVER_PORT" -- \
    "$KEYS" "$BACKLOG" "$BATCH" "$WRK_THREADS" "$done_file" >"$WORK/wrk-batch.out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null &&
    { [ ! -f "$done_file" ] || [ "$(wc -l <"$done_file")" -lt "$WRK_THREADS" ]; }; do
    sleep 0.05
  done
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" || { cat "$WORK/wrk-batch.out" >&2; die "wrk failed"; }
  grep '^RESULT ' "$WORK/wrk-batch.out" | sed 's/^RESULT //' ||
    { cat "$WORK/wrk-batch.out" >&2; die "wrk printed no result"; }
}

# warm_up RUN: WARMUP seconds of steady ingest, not measured, and its deliveries.
warm_up() {
  run_wrk "$CONNECTIONS" "$WARMUP" steady.lua "$KEYS" "$LABEL-w$1" "$RATE" "$WRK_THREADS" >/dev/null
  sleep "$SETTLE"
  wait_delivered "$(count_events)" >/dev/null
}

# ratio A B: A / B rounded, or — when B is 0.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f\n", a / b; else print "—" }'
}

# grown KEY BEFORE AFTER: how much the receiver's counter KEY grew from one stats line to another.
grown() {
  echo $(($(field "$1" "$3") - $(field "$1" "$2")))
}

# duplicates BEFORE AFTER: the deliveries between two stats lines that repeated an event.
duplicates() {
  echo $(($(grown deliveries "$1" "$2") - $(grown distinct "$1" "$2")))
}

# A median that reads — when no run had a figure.
median_or_dash() {
  local m
  m=$(grep -v '—' "$1" | median /dev/stdin "$2")
  echo "${m:-—}"
}

# steady_rate FROM LEFT: the deliveries a second while the drain went from a tenth to nine tenths
# of the LEFT deliveries that the receiver's distinct count FROM still lacked, read from the samples
# wait_delivered took: the drain's steady part, without its start (the lanes filling) or its tail
# (the last lanes emptying); — for a drain too short to have two samples in it.
steady_rate() {
  awk -v from="$1" -v left="$2" '
    BEGIN { low = from + 0.1 * left; high = from + 0.9 * left }
    t0 == "" && $2 >= low { t0 = $1; d0 = $2 }
    t1 == "" && $2 >= high { t1 = $1; d1 = $2 }
    END { if (t0 != "" && t1 != "" && t1 > t0) printf "%.0f\n", (d1 - d0) * 1000 / (t1 - t0); else print "—" }
  ' "$WORK/drain.samples"
}

# throughput_run RUN: the backlog, its ingest and its drain; prints a table row and appends its
# numbers to $WORK/throughput.tsv.
throughput_run() {
  local run=$1 result start rows_before rows before at_end after mark
  log "deliveries run $run: ${WARMUP} s warm-up at $RATE events/s," \
    "then $BACKLOG events in batches of $BATCH"
  warm_up "$run"
  rows_before=$(count_events)
  start=$(now_ms)
  before=$(receiver_stats)
  result=$(run_batches)
  at_end=$(receiver_stats)
  mark=$(usage_mark)
  thread_ticks "$SERVER_PID" >"$WORK/drain.before"
  sleep "$SETTLE"
  rows=$(count_events)
  log "deliveries run $run: $((rows - rows_before)) events ingested, draining"
  : >"$WORK/drain.samples"
  after=$(wait_delivered "$rows")
  usage_since "$mark"
  thread_ticks "$SERVER_PID" >"$WORK/drain.after"
  sleep "$SETTLE"
  local retried undelivered
  read -r retried undelivered < <(delivery_outcomes "$start")

  local events=$((rows - rows_before)) seconds ingest_rate while_rate left drained drain_s drain_rate
  seconds=$(field duration_s "$result")
  ingest_rate=$(ratio "$events" "$seconds")
  while_rate=$(ratio "$(grown deliveries "$before" "$at_end")" "$seconds")
  left=$((rows * MATCHES - $(field distinct "$at_end")))
  drained=$(grown deliveries "$at_end" "$after")
  drain_s="—"
  drain_rate="—"
  local steady="—"
  if [ "$left" -gt 0 ]; then
    steady=$(steady_rate "$(field distinct "$at_end")" "$left")
    drain_s=$(awk -v a="$(field last_ms "$after")" -v b="$(field now_ms "$at_end")" \
      'BEGIN {printf "%.1f", (a - b) / 1000}')
    drain_rate=$(ratio "$drained" "$drain_s")
  fi
  local duplicates split
  duplicates=$(duplicates "$before" "$after")
  split=$(drain_split "$drained")
  printf '| %s | %s | %s |\n' "$MODE" "$run" "$split" >>"$WORK/drain-split.md"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s |\n' \
    "$MODE" "$run" "$events" "$ingest_rate" "$(errors_by_kind "$result" 202)" "$while_rate" \
    "$left" "$drain_rate" "$steady" "$drain_s" "$(per_path "$before" "$after")" \
    "$(copies_check "$events" "$before" "$after")" "$duplicates" "$retried" "$undelivered" \
    "$(rss_mb "$SERVER_PID")" "$(peak_rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$SPLIT" "$BUSY"
  # A warm-up drain is shown but left out of the medians.
  case "$run" in w*) return 0 ;; esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$events" "$ingest_rate" \
    "$while_rate" "$left" "$drain_rate" "$drain_s" "$duplicates" "$retried" "$undelivered" \
    "$(rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$BUSY" "$steady" >>"$WORK/throughput.tsv"
}

# latency_run RUN: DURATION seconds of steady ingest and the latency of its deliveries; prints a
# table row and appends its numbers to $WORK/latency.tsv.
latency_run() {
  local run=$1 start before at_end after receiver0 receiver1 rows rows_before
  log "latency run $run: ${WARMUP} s warm-up, then ${DURATION} s at $RATE events/s"
  warm_up "$run"
  rows_before=$(count_events)
  receiver_new_window
  start=$(now_ms)
  before=$(receiver_stats)
  receiver0=$(cpu_seconds "$RECEIVER_PID")
  measured_run "$SERVER_PID" "$CONNECTIONS" steady.lua "$KEYS" "$LABEL-$run" "$RATE" "$WRK_THREADS"
  receiver1=$(cpu_seconds "$RECEIVER_PID")
  at_end=$(receiver_stats)
  sleep "$SETTLE"
  rows=$(count_events)
  after=$(wait_delivered "$rows")
  sleep "$SETTLE"
  local retried undelivered
  read -r retried undelivered < <(delivery_outcomes "$start")

  local result=$RESULT seconds delivery_rate duplicates
  seconds=$(field duration_s "$result")
  delivery_rate=$(ratio "$(grown deliveries "$before" "$at_end")" "$seconds")
  duplicates=$(duplicates "$before" "$after")
  local split
  split="$SPLIT / $(awk -v a="$receiver0" -v b="$receiver1" -v d="$seconds" \
    'BEGIN {printf "%.2f", (b - a) / d}')"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (peak %s) | %s | %s | %s | %s | %s |\n' \
    "$MODE" "$run" "$(field rps "$result")" "$(status_count "$result" 202)" \
    "$(errors_by_kind "$result" 202)" "$(field p99_ms "$result")" "$delivery_rate" \
    "$(field window_deliveries "$after")" "$(field p50_ms "$after")" "$(field p95_ms "$after")" \
    "$(field p99_ms "$after")" "$(field max_ms "$after")" \
    "$(copies_check "$((rows - rows_before))" "$before" "$after")" "$duplicates" "$retried" "$undelivered" \
    "$(rss_mb "$SERVER_PID")" "$(peak_rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" "$split" "$BUSY" \
    "$STALLS"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$(field rps "$result")" "$(status_count "$result" 202)" "$(error_total "$result" 202)" "$(field p99_ms "$result")" \
    "$delivery_rate" "$(field window_deliveries "$after")" "$(field p50_ms "$after")" \
    "$(field p95_ms "$after")" "$(field p99_ms "$after")" "$(field max_ms "$after")" \
    "$duplicates" "$retried" "$undelivered" "$(rss_mb "$SERVER_PID")" "$GC_MS" "$CORES" \
    "$BUSY" >>"$WORK/latency.tsv"
}

# verdict MEASURED OP TARGET: "met" or "**not met**"; OP is >= or <=.
verdict() {
  awk -v m="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (m == "—") { print "not measured"; exit }
    ok = (op == ">=") ? m >= t : m <= t
    print ok ? "met" : "**not met**" }'
}

echo "### webhooks, $MODE mode"
echo
echo "- machine: $(machine_line)"
echo "- $(conditions_line)"
echo "- $ORGS enterprise organizations, $ENDPOINTS_LINE, on one receiver ($(basename "$BENCH_DIR")/receiver/Receiver.java, Undertow answering 204 and counting); each run starts with ${WARMUP} s of ingest at $RATE events/s and its deliveries, not measured"
echo
echo "#### deliveries per second, draining a backlog"
echo
echo "$BACKLOG events per run in batches of $BATCH from $BATCH_CONNECTIONS connections, as fast as the server takes them. *While ingesting*: the deliveries made during that ingest, per second of it; *left*: the deliveries not made yet when it ended; *draining*: the deliveries after it ended, per second until the last one; *steady*: the same while the drain went from a tenth to nine tenths of what was left (the lanes filling at its start and the last ones emptying at its end left out); runs w1, w2, … are warm-up drains (WARM_DRAINS), shown but left out of the medians; *per endpoint*: the run's deliveries by the receiver's path (one per endpoint of an organization); *each event once per matching endpoint*: every event of the run reached each of the $MATCHES endpoints it matches (and no other). The server's GC time and the cores columns cover the drain."
echo
echo '| server | run | events | ingest events/s | ingest errors by kind | deliveries/s while ingesting | left at ingest end | deliveries/s draining | steady deliveries/s | drain s | per endpoint | each event once per matching endpoint | duplicates | retried | undelivered | RSS MB | GC ms | server CPU cores | pg / redis / receiver cores | machine busy % |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$WARM_DRAINS" | sed 's/^/w/') $(seq "$RUNS"); do
  throughput_run "$run"
done
file="$WORK/throughput.tsv"
printf '| **%s** | **median** | **%s** | **%s** | | **%s** | **%s** | **%s** | **%s** | **%s** | | | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | | **%s** |\n' \
  "$MODE" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" "$(median "$file" 4)" \
  "$(median_or_dash "$file" 5)" "$(median_or_dash "$file" 14)" "$(median_or_dash "$file" 6)" "$(median "$file" 7)" "$(median "$file" 8)" \
  "$(median "$file" 9)" "$(median "$file" 10)" "$(median "$file" 11)" "$(median "$file" 12)" \
  "$(median "$file" 13)"
DRAIN_MEDIAN=$(median_or_dash "$file" 5)
STEADY_MEDIAN=$(median_or_dash "$file" 14)
echo
echo "Server CPU µs a delivery during the drain, by thread (thread names from /proc; threads that ended during the drain count in none):"
echo
echo '| server | run | virtual threads / ledger and group-commit writers / Lettuce / dispatcher intake, sweep and deadlines / JIT / GC / other |'
echo '|---|---|---|'
cat "$WORK/drain-split.md"

RECEIVED=$(receiver_stats)
P95_MEDIAN="—"
if [ "$LATENCY" != 0 ]; then
echo
echo "#### ingest → receiver latency at $RATE events/s"
echo
echo "wrk sends $RATE single events per second in all ($(basename "$BENCH_DIR")/lua/steady.lua) from $CONNECTIONS connections for ${DURATION} s. *Deliveries/s*: deliveries during that time, per second; the latency of a delivery is when the receiver had read it minus the event's created_at, over every event of the run (the last ones arrive after wrk stopped). *Disk stalls*: the disk probe's fdatasync calls of 50 ms or more that began while wrk sent (see bench/README.md)."
echo
echo '| server | run | events/s sent | 202s | ingest errors by kind | ingest p99 ms | deliveries/s | delivered | p50 ms | p95 ms | p99 ms | max ms | each event once per matching endpoint | duplicates | retried | undelivered | RSS MB | GC ms | server CPU cores | pg / redis / wrk / receiver cores | machine busy % | disk stalls ≥ 50 ms |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for run in $(seq "$RUNS"); do
  latency_run "$run"
done
file="$WORK/latency.tsv"
printf '| **%s** | **median** | **%s** | **%s** | %s errors | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | | **%s** | |\n' \
  "$MODE" "$(median "$file" 1)" "$(median "$file" 2)" "$(median "$file" 3)" "$(median "$file" 4)" \
  "$(median "$file" 5)" "$(median "$file" 6)" "$(median "$file" 7)" "$(median "$file" 8)" \
  "$(median "$file" 9)" "$(median "$file" 10)" "$(median "$file" 11)" "$(median "$file" 12)" \
  "$(median "$file" 13)" "$(median "$file" 14)" "$(median "$file" 15)" "$(median "$file" 16)" \
  "$(median "$file" 17)"
P95_MEDIAN=$(median "$file" 8)
SENT_MEDIAN=$(median "$file" 1)
RECEIVED=$(receiver_stats)
fi

echo
echo "- DESIGN §5, ≥ $TARGET_DELIVERIES deliveries/s to a fast local receiver$([ -z "$ENDPOINTS" ] || echo " (with $ENDPOINTS endpoints an organization)"): median $DRAIN_MEDIAN deliveries/s draining ($STEADY_MEDIAN steady), $(verdict "$DRAIN_MEDIAN" '>=' "$TARGET_DELIVERIES")"
if [ "$LATENCY" = 0 ]; then
  echo "- latency not measured (LATENCY=0)"
elif [ "$RATE" = "$TARGET_RATE" ]; then
  echo "- DESIGN §5, ingest → receiver p95 ≤ $TARGET_P95_MS ms at $TARGET_RATE events/s: median p95 $P95_MEDIAN ms with a median of $SENT_MEDIAN events/s sent, $(verdict "$P95_MEDIAN" '<=' "$TARGET_P95_MS")$(awk -v s="$SENT_MEDIAN" -v r="$RATE" 'BEGIN { if (s < 0.98 * r) printf " (and the rate was not reached)" }')"
else
  echo "- DESIGN §5 asks for ingest → receiver p95 ≤ $TARGET_P95_MS ms at $TARGET_RATE events/s; this ran at $RATE events/s ($SENT_MEDIAN sent): median p95 $P95_MEDIAN ms"
fi
echo "- the receiver had $(field deliveries "$RECEIVED") deliveries, $(field distinct "$RECEIVED") distinct (event and endpoint), of $(field events "$RECEIVED") events in all, $(field malformed "$RECEIVED") malformed (answered 400); RSS $(rss_mb "$RECEIVER_PID") MB"
echo "- load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
