# A cluster of NODES local Elasticsearch nodes, sourced by deploy/local-es/run when NODES > 1.
#
# Node i (1..NODES) lives in $ES_HOME/node-i (config/ data/ logs/ node.pid tmp/), answers HTTP on PORT+i-1
# and talks transport on PORT+100+i-1; every node is master-eligible and holds data, and they find each other
# through discovery.seed_hosts (all transport ports). The build, the JDK and the snapshot repository are the
# HOME's, shared. $ES_HOME/cluster.nodes records the size, so every later command on the HOME (a `start`
# without --nodes too) knows it is a cluster's: its data is.
# cluster.initial_master_nodes is written only until the cluster has formed once ($ES_HOME/cluster.formed):
# a node restarted on its data must join the cluster it belongs to, never bootstrap a new one.

BASE_PORT="$PORT"
CLUSTER_NAME="tradewire-local-cluster"

select_node() {   # $1 = 1..NODES: the globals run's per-node functions act on
  NODE_NAME="node-$1"
  NODE_HOME="$ES_HOME/node-$1"
  PORT=$((BASE_PORT + $1 - 1))
  TRANSPORT_PORT=$((BASE_PORT + 100 + $1 - 1))
  URL="http://127.0.0.1:$PORT"
  PIDFILE="$NODE_HOME/node.pid"
  LOG="$NODE_HOME/logs/elasticsearch.log"
}

node_number() {   # $1 as given on the command line, checked
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ] \
    || die "NODE must be a number from 1 to $NODES, not '${1:-}'"
  echo "$1"
}

discovery_settings() {
  local seeds="" masters="" i
  for i in $(seq 1 "$NODES"); do
    seeds+="${seeds:+, }\"127.0.0.1:$((BASE_PORT + 100 + i - 1))\""
    masters+="${masters:+, }\"node-$i\""
  done
  echo "node.roles: [master, data, ingest]"
  echo "discovery.seed_hosts: [$seeds]"
  [ -f "$ES_HOME/cluster.formed" ] || echo "cluster.initial_master_nodes: [$masters]"
}

all_urls() {
  local urls="" i
  for i in $(seq 1 "$NODES"); do urls+="${urls:+,}http://127.0.0.1:$((BASE_PORT + i - 1))"; done
  echo "$urls"
}

cluster_health() {   # $1 = query string; the first node that answers gives the cluster's health JSON
  local i
  for i in $(seq 1 "$NODES"); do
    curl -sf -m 5 "http://127.0.0.1:$((BASE_PORT + i - 1))/_cluster/health?$1" 2>/dev/null && return 0
  done
  return 1
}

all_joined() {       # every node is in the cluster, and the health is $1 (green) or better than red (yellow)
  local wanted="${1:-yellow}" health
  health="$(cluster_health "wait_for_nodes=$NODES&wait_for_status=$wanted&timeout=1s")" || return 1
  [[ "$health" == *"\"number_of_nodes\":$NODES,"* ]] || return 1
  if [ "$wanted" = green ]; then [[ "$health" == *'"status":"green"'* ]]; else [[ "$health" =~ \"status\":\"(green|yellow)\" ]]; fi
}

launch() {           # $1 = node: starts it unless it is running
  select_node "$1"
  local pid
  if pid="$(node_pid)"; then say "$NODE_NAME already running (pid $pid)"; return 0; fi
  port_busy "$PORT" && die "port $PORT ($NODE_NAME's HTTP) is already in use by another process"
  port_busy "$TRANSPORT_PORT" && die "port $TRANSPORT_PORT ($NODE_NAME's transport) is already in use by another process"
  launch_node "$TRANSPORT_PORT"
  say "$NODE_NAME started (pid $NODE_PID), http $PORT, transport $TRANSPORT_PORT"
}

wait_until() {       # $1 = what, $2.. = a condition; fails if a node of the cluster died meanwhile
  local what="$1"; shift
  local deadline=$((SECONDS + START_TIMEOUT)) i pid
  while [ "$SECONDS" -lt "$deadline" ]; do
    "$@" && return 0
    for i in $(seq 1 "$NODES"); do
      select_node "$i"
      [ -f "$PIDFILE" ] && ! node_pid >/dev/null && { say "$NODE_NAME exited while waiting for $what"; return 1; }
    done
    sleep 1
  done
  say "no $what after ${START_TIMEOUT}s"
  return 1
}

show_logs_and_stop() {
  local i
  for i in $(seq 1 "$NODES"); do
    select_node "$i"
    echo "local-es: $NODE_NAME's log $LOG (last 30 lines follow)" >&2
    tail -n 30 "$LOG" >&2 2>/dev/null || true
  done
  stop_all
  return 1
}

stop_all() {         # SIGTERM to every node at once, then wait for each
  local i pid pids=()
  for i in $(seq 1 "$NODES"); do
    select_node "$i"
    if pid="$(node_pid)"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    rm -f "$PIDFILE"
  done
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  say "stopped ${#pids[@]} node(s) of $ES_HOME"
}

cluster_start() {
  mkdir -p "$ES_HOME/logs"
  exec 9>"$ES_HOME/.lock"; flock 9
  [ -f "$ES_HOME/node.pid" ] && die "$ES_HOME holds a single node; stop it, or give the cluster its own TRADEWIRE_LOCAL_ES_HOME"
  pick_java
  build
  echo "$NODES" >"$ES_HOME/cluster.nodes"
  local i
  for i in $(seq 1 "$NODES"); do launch "$i"; done
  wait_until "green cluster of $NODES nodes" all_joined green || show_logs_and_stop || return 1
  touch "$ES_HOME/cluster.formed"
  say "Elasticsearch $(version) cluster of $NODES nodes is green, logs: $ES_HOME/node-*/logs"
  all_urls
}

cluster_start_node() {   # one node of a running cluster, (re)started on its data; waits until it has joined
  local number; number="$(node_number "${1:-}")"
  [ -f "$ES_HOME/cluster.formed" ] || die "no cluster has formed in $ES_HOME yet: run start first"
  exec 9>"$ES_HOME/.lock"; flock 9
  pick_java
  launch "$number"
  wait_until "$NODE_NAME joining the cluster" all_joined yellow || { tail -n 30 "$LOG" >&2; return 1; }
  select_node "$number"
  say "$NODE_NAME has joined the cluster"
  echo "$URL"
}

cluster_stop_node() {    # one node, gracefully (a rolling restart's step)
  local number pid; number="$(node_number "${1:-}")"
  select_node "$number"
  if ! pid="$(node_pid)"; then say "$NODE_NAME not running"; return 0; fi
  stop_pid "$pid"
  rm -f "$PIDFILE"
  say "$NODE_NAME stopped (pid $pid)"
}

cluster_pid() {
  local number; number="$(node_number "${1:-}")"
  select_node "$number"
  node_pid || { say "$NODE_NAME is not running"; return 3; }
}

cluster_stop() {
  exec 9>"$ES_HOME/.lock"; flock 9
  stop_all
}

cluster_status() {   # a line per node, then the cluster's health; 0 all up and yellow/green, 3 none up, else 1
  local i pid up=0 state running=""
  for i in $(seq 1 "$NODES"); do
    select_node "$i"
    if pid="$(node_pid)"; then
      up=$((up + 1))
      state="not answering"; curl -sf -m 5 "$URL/" >/dev/null 2>&1 && state=alive running="${running:-$URL}"
      echo "$NODE_NAME pid $pid $URL $state"
    else
      echo "$NODE_NAME - $URL not running"
    fi
  done
  [ "$up" -gt 0 ] || { echo "local-es: no node of $ES_HOME is running" >&2; return 3; }
  local health; health="$(cluster_health "timeout=1s" | sed -n 's/.*"status":"\([a-z]*\)".*"number_of_nodes":\([0-9]*\),.*/\1 \2/p')"
  URL="${running:-$URL}"
  echo "cluster ${health% *} with ${health#* } of $NODES nodes, Elasticsearch $(version) ($(all_urls))"
  [ "$up" -eq "$NODES" ] && [ "${health#* }" = "$NODES" ] && [ "${health% *}" != red ]
}
