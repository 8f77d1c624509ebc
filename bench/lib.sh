# Shared by the benchmark scripts (sourced, not run): tools, a private PostgreSQL and Redis, the
# server, the floor, the webhook receiver, their measurements and the table helpers. Everything a
# script starts lives in one temporary directory and is stopped when the script exits.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILT_JAR="$ROOT_DIR/bootstrap/target/triggers-server.jar"
# The jar the scenario runs: a copy of the built one in the work directory (see build_jar).
JAR=

RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
# Seconds of load before a measured run, at least; see warm_up for the steps that follow it until
# the JIT compiler has finished with the hot paths (the ingest runs take them).
WARMUP=${WARMUP:-15}
WARMUP_STEP=${WARMUP_STEP:-5}
WARMUP_MAX=${WARMUP_MAX:-120}
JIT_QUIET=${JIT_QUIET:-10}
# When set, the warm-up also ends once the JIT spent at most this many ms in each of the last two
# steps (one quiet step can be a lull between large compilations; the batch runs set it: see
# bench/ingest.sh).
JIT_QUIET_MS=${JIT_QUIET_MS:-}
WRK_THREADS=${WRK_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-5}
# More JVM options for the server, e.g. a JFR recording; split on spaces.
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
# Seconds to wait after wrk stops, so that requests it cut off in flight are committed first.
SETTLE=${SETTLE:-2}
# DISK_PROBE=0 leaves out the disk probe of the ingest runs.
DISK_PROBE=${DISK_PROBE:-1}

WORK=""
PG_BIN=""
PG_PORT=""
PG_DATA=""
REDIS_PID=""
REDIS_PORT=""
SERVER_PID=""
SERVER_PORT=""
SERVER_MODE=""
FLOOR_PID=""
RECEIVER_PID=""
RECEIVER_PORT=""
DISK_PROBE_PID=""

log() {
  printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# Creates the work directory and arranges for everything to be stopped on exit.
bench_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/triggers-bench.XXXXXX")
  # PostgreSQL runs as the postgres user when we are root: it must be able to reach its directory.
  chmod 755 "$WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  log "work directory $WORK (KEEP=1 keeps it)"
}

bench_cleanup() {
  local status=$?
  trap - EXIT
  floor_stop
  server_stop
  disk_probe_stop
  receiver_stop
  redis_stop
  pg_stop
  if [ -n "$WORK" ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  fi
  exit "$status"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# Installs, from Debian packages, whichever of wrk, PostgreSQL, Redis, curl and jq is missing.
ensure_tools() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  find_pg_bin >/dev/null 2>&1 || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
  PG_BIN=$(find_pg_bin) || die "no PostgreSQL server binaries found"
}

# Prints the directory of the newest PostgreSQL server binaries (initdb, pg_ctl, postgres).
find_pg_bin() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir)
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

find_jdk() {
  JAVA_HOME=$("$ROOT_DIR/scripts/find-jdk") || die "a JDK 21 or newer is needed"
  export JAVA_HOME
}

# Builds the server jar when it is missing or older than any source, pom or resource, unless
# SERVER_JAR names a jar to run instead (another build's, to compare two builds with one script).
# The scenario runs a copy of the jar, so that a build started while it runs cannot change it.
build_jar() {
  find_jdk
  JAR="$WORK/triggers-server.jar"
  if [ -n "${SERVER_JAR:-}" ]; then
    [ -f "$SERVER_JAR" ] || die "SERVER_JAR $SERVER_JAR is not a file"
    log "running $SERVER_JAR"
    cp "$SERVER_JAR" "$JAR"
    return 0
  fi
  if [ ! -f "$BUILT_JAR" ] || [ -n "$(cd "$ROOT_DIR" && find . \( -path ./data -o -path ./bench -o -name target \) -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$BUILT_JAR" -print -quit)" ]; then
    log "building the server"
    (cd "$ROOT_DIR" && ./mvnw -B -q package -DskipTests >&2)
  fi
  cp "$BUILT_JAR" "$JAR"
}

# Prints a TCP port nothing listens on, below the kernel's range of ephemeral ports, so that no
# client connection can take it before the server binds it.
free_port() {
  local low=32768 port
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range)
  fi
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
}

# Runs a command as the owner of the PostgreSQL data directory (postgres refuses to run as root).
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A fresh PostgreSQL cluster on 127.0.0.1, durable like production: fsync, synchronous_commit
# and full_page_writes on; everything else at the server's defaults.
pg_start() {
  PG_DATA="$WORK/postgres"
  PG_PORT=$(free_port)
  mkdir -p "$PG_DATA"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DATA"
  as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
    { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
${PG_SETTINGS:-}
EOF
  as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null ||
    { cat "$PG_DATA/server.log" >&2; die "PostgreSQL did not start"; }
  psql_at "$PG_PORT" postgres -c "CREATE DATABASE triggers" >/dev/null
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT"
}

pg_stop() {
  if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  PG_DATA=""
}

# psql_at PORT DATABASE ARGS...: unaligned, tuples only, stop on error.
psql_at() {
  local port=$1 db=$2
  shift 2
  psql -h 127.0.0.1 -p "$port" -U postgres -d "$db" -X -A -t -q -v ON_ERROR_STOP=1 "$@"
}

# Runs SQL on the database the server uses, external or embedded.
server_psql() {
  if [ "$SERVER_MODE" = embedded ]; then
    # The embedded server writes its port on the fourth line of its pid file, and keeps the
    # password it requires beside its data.
    PGPASSWORD="$(cat "$WORK/data/postgres.password")" \
      psql_at "$(sed -n 4p "$WORK/data/postgres/postmaster.pid")" postgres "$@"
  else
    psql_at "$PG_PORT" triggers "$@"
  fi
}

# Redis on 127.0.0.1 with no persistence at all.
redis_start() {
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$WORK" --logfile "$WORK/redis.log" &
  REDIS_PID=$!
  local i
  for i in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || die "Redis did not start"
  log "Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on port $REDIS_PORT"
}

redis_stop() {
  if [ -n "$REDIS_PID" ]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  REDIS_PID=""
}

# server_start MODE: cluster (PostgreSQL and Redis), single (PostgreSQL) or embedded.
server_start() {
  SERVER_MODE=$1
  local env=()
  case "$SERVER_MODE" in
    cluster) env=(TRIGGERS_DATABASE_URL="postgres://postgres:bench@127.0.0.1:$PG_PORT/triggers"
      TRIGGERS_REDIS_URL="redis://127.0.0.1:$REDIS_PORT") ;;
    single) env=(TRIGGERS_DATABASE_URL="postgres://postgres:bench@127.0.0.1:$PG_PORT/triggers") ;;
    embedded) ;;
    *) die "unknown mode $SERVER_MODE (cluster, single or embedded)" ;;
  esac
  env -u TRIGGERS_DATABASE_URL -u TRIGGERS_REDIS_URL -u TRIGGERS_ADMIN_TOKEN "${env[@]}" \
    TRIGGERS_PORT=0 TRIGGERS_HOST=127.0.0.1 TRIGGERS_DATA_DIR="$WORK/data" \
    "$JAVA_HOME/bin/java" -Xmx256m $SERVER_JAVA_OPTS -jar "$JAR" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  wait_for_line "$WORK/server.log" "ready on port" "$SERVER_PID" 180 "the server"
  # Port 0 lets the server pick a free port, which it logs.
  SERVER_PORT=$(sed -n 's/.*ready on port \([0-9]*\).*/\1/p' "$WORK/server.log" | head -n 1)
  log "$(grep -o 'Triggers .*ready on port.*' "$WORK/server.log" | head -n 1)"
}

# wait_for_line FILE TEXT PID SECONDS WHAT
wait_for_line() {
  local file=$1 text=$2 pid=$3 seconds=$4 what=$5 i
  for i in $(seq $((seconds * 10))); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$file" >&2; die "$what exited before it was ready"; }
    sleep 0.1
  done
  tail -n 30 "$file" >&2
  die "$what was not ready within $seconds s"
}

# Stops a process with SIGTERM, then SIGKILL if it is still there after SECONDS.
stop_pid() {
  local pid=$1 seconds=$2 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq $((seconds * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

server_stop() {
  if [ -n "$SERVER_PID" ]; then
    stop_pid "$SERVER_PID" 60
    # An embedded PostgreSQL outlives a server that had to be killed.
    local leftover="$WORK/data/postgres/postmaster.pid"
    if [ -f "$leftover" ]; then
      kill "$(head -n 1 "$leftover")" 2>/dev/null || true
    fi
  fi
  SERVER_PID=""
}

# The do-nothing floor: Undertow from the server's jar answering 202 to everything.
floor_start() {
  SERVER_PORT=$(free_port)
  "$JAVA_HOME/bin/java" -Xmx256m -cp "$JAR" "$BENCH_DIR/floor/Floor.java" "$SERVER_PORT" \
    >"$WORK/floor.log" 2>&1 &
  FLOOR_PID=$!
  wait_for_line "$WORK/floor.log" "floor ready" "$FLOOR_PID" 60 "the floor server"
  log "floor on port $SERVER_PORT"
}

floor_stop() {
  if [ -n "$FLOOR_PID" ]; then
    stop_pid "$FLOOR_PID" 10
  fi
  FLOOR_PID=""
}

# The webhook receiver: Undertow from the server's jar answering 204 to every delivery, counting
# them and their latencies (receiver/Receiver.java).
receiver_start() {
  RECEIVER_PORT=$(free_port)
  "$JAVA_HOME/bin/java" -Xmx512m -cp "$JAR" "$BENCH_DIR/receiver/Receiver.java" "$RECEIVER_PORT" \
    >"$WORK/receiver.log" 2>&1 &
  RECEIVER_PID=$!
  wait_for_line "$WORK/receiver.log" "receiver ready" "$RECEIVER_PID" 60 "the webhook receiver"
  log "webhook receiver on port $RECEIVER_PORT"
}

receiver_stop() {
  if [ -n "$RECEIVER_PID" ]; then
    stop_pid "$RECEIVER_PID" 10
  fi
  RECEIVER_PID=""
}

# The receiver's counters and the latencies of its current window, as key=value words.
receiver_stats() {
  curl -sf "http://127.0.0.1:$RECEIVER_PORT/stats" || die "the webhook receiver did not answer"
}

# Starts a new latency window on the receiver.
receiver_new_window() {
  curl -sf -X POST "http://127.0.0.1:$RECEIVER_PORT/window" >/dev/null ||
    die "the webhook receiver did not answer"
}

# The disk probe (disk/DiskProbe.java): logs every fdatasync of 50 ms or more on the file system
# of the work directory, where the benchmark's PostgreSQL writes, with the millisecond it began.
disk_probe_start() {
  [ "$DISK_PROBE" != 0 ] || return 0
  "$JAVA_HOME/bin/java" -Xmx32m "$BENCH_DIR/disk/DiskProbe.java" "$WORK/disk-probe.dat" 50 \
    >"$WORK/disk-probe.log" 2>&1 &
  DISK_PROBE_PID=$!
  wait_for_line "$WORK/disk-probe.log" "disk probe ready" "$DISK_PROBE_PID" 60 "the disk probe"
}

disk_probe_stop() {
  if [ -n "$DISK_PROBE_PID" ]; then
    stop_pid "$DISK_PROBE_PID" 10
  fi
  DISK_PROBE_PID=""
}

# disk_stalls FROM_MS TO_MS: the probe's stalls that began in that window of epoch milliseconds,
# as "N (longest M ms)", or "—" without the probe.
disk_stalls() {
  if [ -z "$DISK_PROBE_PID" ]; then
    echo "—"
    return 0
  fi
  awk -v from="$1" -v to="$2" '$1 ~ /^[0-9]+$/ && $1 >= from && $1 < to {n++; if ($2 > m) m = $2}
    END {if (n) printf "%d (longest %d ms)\n", n, m; else print "0"}' "$WORK/disk-probe.log"
}

# generate_key NAME: prints "organization_id api_key" of a new enterprise organization.
generate_key() {
  curl -sf -X POST "http://127.0.0.1:$SERVER_PORT/api/keys/generate" \
    -H 'Content-Type: application/json' \
    -d "{\"organization_name\":\"$1\",\"tier\":\"enterprise\"}" |
    jq -r '.organization_id + " " + .api_key'
}

# create_keys N FILE: N enterprise organizations, their API keys in FILE, one a line.
create_keys() {
  local n=$1 file=$2 i
  : >"$file"
  for i in $(seq "$n"); do
    generate_key "bench-$i" | awk '{print $2}' >>"$file"
  done
  [ "$(grep -c . "$file")" -eq "$n" ] || die "could not create $n keys"
}

# create_endpoints KEYS_FILE COUNT BASE_URL: gives each organization of KEYS_FILE its endpoints,
# all on BASE_URL followed by a path of their own. COUNT 1: one endpoint for every event type, at
# BASE_URL/all. COUNT 3: three through POST /api/endpoints, filtered so that each event of the
# benchmarks (type order.created) matches two of them: order.* at BASE_URL/all, order.created at
# BASE_URL/created, and invoice.* at BASE_URL/invoice, which none matches. STATUS (default
# enabled) paused pauses each endpoint once created (PATCH), so that its deliveries are held.
create_endpoints() {
  local keys=$1 count=$2 base=$3 status=${4:-enabled} key spec id
  local specs=()
  case "$count" in
    1) specs=("all|") ;;
    3) specs=("all|\"order.*\"" "created|\"order.created\"" "invoice|\"invoice.*\"") ;;
    *) die "ENDPOINTS must be 1 or 3" ;;
  esac
  while read -r key; do
    for spec in "${specs[@]}"; do
      id=$(curl -sf -X POST "http://127.0.0.1:$SERVER_PORT/api/endpoints" -H "X-API-Key: $key" \
        -H 'Content-Type: application/json' \
        -d "{\"url\":\"$base/${spec%%|*}\",\"event_types\":[${spec#*|}]}" | jq -r .id) ||
        die "could not create an endpoint"
      case "$status" in
        enabled) ;;
        paused)
          curl -sf -X PATCH "http://127.0.0.1:$SERVER_PORT/api/endpoints/$id" -H "X-API-Key: $key" \
            -H 'Content-Type: application/json' -d '{"status":"paused"}' >/dev/null ||
            die "could not pause an endpoint"
          ;;
        *) die "ENDPOINT_STATUS must be enabled or paused" ;;
      esac
    done
  done <"$keys"
}

# Measurements of a JVM: resident memory now (MB), its peak (MB), total GC seconds, CPU seconds.
rss_mb() { ps -o rss= -p "$1" | awk '{printf "%.0f", $1 / 1024}'; }
peak_rss_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
gc_seconds() { "$JAVA_HOME/bin/jstat" -gcutil "$1" | awk 'NR == 2 {print $NF}'; }
# The JIT's work so far, as "METHODS SECONDS": methods compiled, and seconds spent compiling them.
jit_work() { "$JAVA_HOME/bin/jstat" -compiler "$1" | awk 'NR == 2 {print $1, $4}'; }
# CPU ticks so far of each thread of a JVM, one "TID|NAME|TICKS" line each; the names as /proc
# has them (15 characters at most).
thread_ticks() {
  local task name ticks
  for task in /proc/"$1"/task/*; do
    # utime and stime counted from the end of the name, which may hold spaces ("XNIO-1 I/O-1").
    # A thread that ends meanwhile leaves no line, rather than half of one.
    name=$(cat "$task/comm" 2>/dev/null) || continue
    ticks=$(sed 's/^.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}') || continue
    [ -n "$ticks" ] && printf '%s|%s|%s\n' "${task##*/}" "$name" "$ticks"
  done
  return 0
}
# Busy and total jiffies of the whole machine so far, from the first line of /proc/stat.
machine_jiffies() { awk 'NR == 1 {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
cpu_seconds() {
  # utime + stime from /proc, in clock ticks.
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
# CPU seconds so far of the benchmark's own PostgreSQL (the postmaster of the server's database,
# its children, and the children it has reaped) and Redis, as "PG REDIS": other benchmarks'
# databases on the machine stay out.
db_cpu_seconds() {
  local pid_file="$PG_DATA/postmaster.pid" postmaster=0
  [ "$SERVER_MODE" != embedded ] || pid_file="$WORK/data/postgres/postmaster.pid"
  [ ! -r "$pid_file" ] || postmaster=$(head -n 1 "$pid_file")
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk -v hz="$(getconf CLK_TCK)" -v postmaster="$postmaster" -v redis="${REDIS_PID:-0}" '
    { # the name is in parentheses and may hold spaces, so count the fields from the end
      n = split($0, f, " "); ticks = f[n - 38] + f[n - 37]; parent = f[n - 48]
      if (postmaster > 0 && $1 == postmaster) pg += ticks + f[n - 36] + f[n - 35]
      else if (postmaster > 0 && parent == postmaster) pg += ticks
      else if (redis > 0 && $1 == redis) rds += ticks
    }
    END { printf "%.2f %.2f\n", pg / hz, rds / hz }'
}

# run_wrk CONNECTIONS SECONDS SCRIPT ARGS...: prints wrk's RESULT line, as key=value words.
run_wrk() {
  local connections=$1 seconds=$2 script=$3
  shift 3
  wrk -t "$WRK_THREADS" -c "$connections" -d "${seconds}s" --timeout "${WRK_TIMEOUT}s" \
    -s "$BENCH_DIR/lua/$script" "http://127.0.0.1:$SERVER_PORT" -- "$@" >"$WORK/wrk.out" 2>&1 ||
    { cat "$WORK/wrk.out" >&2; die "wrk failed"; }
  # The CPU seconds wrk used: user and system time of this subshell's children.
  # (times is a builtin: piped, it would run in a subshell that has no children.)
  times >"$WORK/wrk.times"
  awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/wrk.times" >"$WORK/wrk.cpu"
  grep '^RESULT ' "$WORK/wrk.out" | sed 's/^RESULT //' ||
    { cat "$WORK/wrk.out" >&2; die "wrk printed no result"; }
}

# warm_up PID CONNECTIONS SCRIPT KEYS_FILE LABEL ARGS...: WARMUP seconds of load against the
# process PID, not measured; then more, WARMUP_STEP seconds at a time, while the JIT still compiled
# more than JIT_QUIET methods in the last step (and, with JIT_QUIET_MS, spent more than that many
# ms in one of the last two), up to WARMUP_MAX seconds in all. A JVM whose JIT
# still works spends part of its CPU compiling and runs part of its code unoptimised, so a run
# measured then costs more a request than the same server in its steady state. Each step sends
# under a label of its own, so that its dedup ids are new too. Sets WARMED (the seconds of load it
# took, and the JIT's methods in the last step).
warm_up() {
  local pid=$1 connections=$2 script=$3 keys=$4 label=$5 seconds=$WARMUP step=0 jit0 jit1 compiled ms
  local quiet=0
  shift 5
  run_wrk "$connections" "$WARMUP" "$script" "$keys" "$label" "$@" >/dev/null
  while :; do
    step=$((step + 1))
    jit0=$(jit_work "$pid")
    run_wrk "$connections" "$WARMUP_STEP" "$script" "$keys" "$label-s$step" "$@" >/dev/null
    jit1=$(jit_work "$pid")
    seconds=$((seconds + WARMUP_STEP))
    compiled=$(echo "$jit0 $jit1" | awk '{print $3 - $1}')
    ms=$(echo "$jit0 $jit1" | awk '{printf "%.0f", ($4 - $2) * 1000}')
    if [ -n "$JIT_QUIET_MS" ] && [ "$ms" -le "$JIT_QUIET_MS" ]; then
      quiet=$((quiet + 1))
    else
      quiet=0
    fi
    if [ "$compiled" -le "$JIT_QUIET" ] || [ "$seconds" -ge "$WARMUP_MAX" ] || [ "$quiet" -ge 2 ]; then
      break
    fi
  done
  WARMED="$seconds s, then $compiled methods in $ms ms in ${WARMUP_STEP} s"
  log "warmed up in $WARMED"
}

# measured_run PID CONNECTIONS SCRIPT ARGS...: a DURATION-second wrk run against the process PID;
# sets RESULT (wrk's RESULT line), GC_MS (its GC time during the run), CORES (the CPU it used),
# SPLIT (the cores used by PostgreSQL, Redis and wrk, as "pg / redis / wrk"), BUSY (how busy the
# whole machine was, in percent: wrk, databases and everything else included), STALLS (the disk
# probe's stalls during the run; the CPU of the process's thread groups is left in
# $WORK/threads.before and threads.after) and JIT (the methods the JIT compiled during the run, and the ms
# it spent: near zero once the warm-up has brought the server to its steady state).
measured_run() {
  local pid=$1 connections=$2 gc0 gc1 cpu0 cpu1 machine0 machine1 db0 db1 seconds started jit0 jit1
  shift 2
  jit0=$(jit_work "$pid")
  thread_ticks "$pid" >"$WORK/threads.before"
  gc0=$(gc_seconds "$pid")
  cpu0=$(cpu_seconds "$pid")
  db0=$(db_cpu_seconds)
  machine0=$(machine_jiffies)
  started=$(date +%s%3N)
  RESULT=$(run_wrk "$connections" "$DURATION" "$@")
  STALLS=$(disk_stalls "$started" "$(date +%s%3N)")
  machine1=$(machine_jiffies)
  db1=$(db_cpu_seconds)
  gc1=$(gc_seconds "$pid")
  cpu1=$(cpu_seconds "$pid")
  jit1=$(jit_work "$pid")
  thread_ticks "$pid" >"$WORK/threads.after"
  seconds=$(field duration_s "$RESULT")
  JIT=$(echo "$jit0 $jit1" | awk '{printf "%d in %.0f ms", $3 - $1, ($4 - $2) * 1000}')
  BUSY=$(echo "$machine0 $machine1" | awk '{printf "%.0f", 100 * ($3 - $1) / ($4 - $2)}')
  GC_MS=$(awk -v a="$gc0" -v b="$gc1" 'BEGIN {printf "%.0f", (b - a) * 1000}')
  CORES=$(awk -v a="$cpu0" -v b="$cpu1" -v d="$seconds" 'BEGIN {printf "%.2f", (b - a) / d}')
  SPLIT=$(echo "$db0 $db1 $(cat "$WORK/wrk.cpu")" | awk -v d="$seconds" \
    '{printf "%.2f / %.2f / %.2f", ($3 - $1) / d, ($4 - $2) / d, $5 / d}')
}

# thread_split REQUESTS: the server's CPU during the last measured run by part of the path, in µs a
# request, from $WORK/threads.before and threads.after, as "IO / VT / REDIS / COMMIT / JIT / GC /
# OTHER": Undertow's I/O threads, the carriers of the virtual threads, Lettuce's event loops, the
# group commit's writers, the JIT compilers, the collector, and every other thread. Threads are
# told apart by id, by group by their names without trailing numbers; the CPU of a thread that
# ended during the run is in none of them.
thread_split() {
  awk -F'|' -v hz="$(getconf CLK_TCK)" -v requests="$1" '
    FNR == NR {before[$1] = $3; next}
    {
      ticks = $3 - before[$1]
      name = $2
      if (name ~ /^XNIO-[0-9]+ I\/O-/) part = 1
      else if (name ~ /^ForkJoinPool-/) part = 2
      else if (name ~ /^lettuce-nioEven/) part = 3
      else if (name ~ /^triggers-group-/) part = 4
      else if (name ~ /CompilerThre/) part = 5
      else if (name ~ /^(GC Thread#|G1 )/) part = 6
      else part = 7
      sum[part] += ticks
    }
    END {
      for (part = 1; part <= 7; part++) {
        printf "%s%.1f", (part > 1 ? " / " : ""), (requests > 0 ? sum[part] / hz * 1e6 / requests : 0)
      }
      print ""
    }' "$WORK/threads.before" "$WORK/threads.after"
}

# field KEY RESULT: the value of KEY in a RESULT line.
field() {
  tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"
}

# errors_by_kind RESULT OK_STATUS: e.g. "409×3, timeout×2", or "none".
errors_by_kind() {
  local result=$1 ok=$2 parts=() kind n pair
  for pair in $(field statuses "$result" | tr ',' ' '); do
    [ "$pair" = none ] && continue
    [ "${pair%%:*}" = "$ok" ] || parts+=("${pair%%:*}×${pair##*:}")
  done
  for kind in connect read write timeout; do
    n=$(field "$kind" "$result")
    [ "$n" -eq 0 ] || parts+=("$kind×$n")
  done
  if [ "${#parts[@]}" -eq 0 ]; then
    echo none
  else
    local IFS=','
    echo "${parts[*]}" | sed 's/,/, /g'
  fi
}

# status_count RESULT STATUS: how many responses had STATUS.
status_count() {
  field statuses "$1" | tr ',' '\n' | sed -n "s/^$2://p" | grep . || echo 0
}

# error_total RESULT OK_STATUS: every response that was not OK_STATUS, plus socket errors.
error_total() {
  local result=$1 ok=$2
  local total=$(($(field requests "$result") - $(status_count "$result" "$ok")))
  echo $((total + $(field connect "$result") + $(field read "$result") + $(field write "$result") + $(field timeout "$result")))
}

# median FILE COLUMN: the median of a tab-separated numeric column.
median() {
  cut -f "$2" "$1" | sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) exit
    if (NR % 2) { print v[(NR + 1) / 2]; exit }
    m = (v[NR / 2] + v[NR / 2 + 1]) / 2
    if (m == int(m)) print m; else printf "%.2f\n", m }'
}

machine_line() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo "?")
  echo "$(nproc) cores ($cpu), $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB RAM"}'), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
}

# The durability settings the server's database really runs with, as name=value words.
pg_settings() {
  server_psql -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
    FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes',
      'wal_sync_method', 'shared_buffers', 'max_connections')"
}

conditions_line() {
  echo "Java $("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p') -Xmx256m; wrk $WRK_THREADS threads, ${WARMUP} s warm-up then ${DURATION} s per run, timeout ${WRK_TIMEOUT} s; PostgreSQL ${PG_SETTINGS:-?}"
}

# One organization whose inbox holds EVENTS events: 3 s of ingest over HTTP, then the rest inserted
# in SQL, older than those. Sets ORG, KEY (also written to $WORK/keys) and total (the events it has).
#   seed_inbox LABEL
seed_inbox() {
  read -r ORG KEY < <(generate_key "$1")
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
}

# The database's floor: RUNS runs of run_pgbench (the calling script's), each after a warm-up, with
# PREPARE run before the warm-up and before the measured run. Prints a table row per run, in
# transactions per second, and the medians; run_pgbench must write its CPU seconds to
# $WORK/pgbench.cpu and, given a second argument, its per-transaction log with that prefix.
#   pgbench_floor_rows PREPARE
pgbench_floor_rows() {
  local prepare=$1 run db0 db1 machine0 machine1 started finished seconds n row p50 p99 max rate
  local cores us client client_us busy f
  for run in $(seq "$RUNS"); do
    "$prepare"
    log "floor run $run: ${WARMUP} s warm-up, then ${DURATION} s"
    run_pgbench "$WARMUP"
    "$prepare"
    db0=$(db_cpu_seconds)
    machine0=$(machine_jiffies)
    started=$(date +%s%3N)
    (run_pgbench "$DURATION" "$WORK/floor$run")
    finished=$(date +%s%3N)
    machine1=$(machine_jiffies)
    db1=$(db_cpu_seconds)
    seconds=$(awk -v a="$started" -v b="$finished" 'BEGIN {print (b - a) / 1000}')
    # pgbench's per-transaction log: the third field is the transaction's latency in µs.
    cat "$WORK/floor$run".* | awk '{print $3 / 1000}' | sort -g >"$WORK/latencies"
    n=$(grep -c . "$WORK/latencies")
    row=$(awk -v n="$n" -v s="$seconds" -v pg="$(echo "$db0 $db1" | awk '{print $3 - $1}')" \
      -v client="$(cat "$WORK/pgbench.cpu")" \
      -v busy="$(echo "$machine0 $machine1" | awk '{printf "%.0f", 100 * ($3 - $1) / ($4 - $2)}')" \
      'BEGIN {printf "%.0f\t%.2f\t%.0f\t%.2f\t%.0f\t%s", n / s, pg / s, 1e6 * pg / n, client / s, 1e6 * client / n, busy}')
    p50=$(awk -v n="$n" 'NR == int(n * 0.5) + 1 {printf "%.2f", $1}' "$WORK/latencies")
    p99=$(awk -v n="$n" 'NR == int(n * 0.99) + 1 {printf "%.2f", $1}' "$WORK/latencies")
    max=$(tail -n 1 "$WORK/latencies" | awk '{printf "%.2f", $1}')
    IFS=$'\t' read -r rate cores us client client_us busy <<<"$row"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$run" "$rate" "$p50" "$p99" "$max" \
      "$cores" "$us" "$client" "$client_us" "$busy"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$p50" "$p99" "$max" "$cores" "$us" "$client" \
      "$busy" "$client_us" >>"$WORK/floor.tsv"
    rm -f "$WORK/floor$run".*
  done
  f="$WORK/floor.tsv"
  printf '| **median** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** | **%s** |\n' \
    "$(median "$f" 1)" "$(median "$f" 2)" "$(median "$f" 3)" "$(median "$f" 4)" \
    "$(median "$f" 5)" "$(median "$f" 6)" "$(median "$f" 7)" "$(median "$f" 9)" "$(median "$f" 8)"
}
