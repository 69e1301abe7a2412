#!/usr/bin/env bash
# Ganglion quickstart: install, build, start the embedded stack (kube-sim + gateway + functions) in the background,
# answer "Show me cluster status", then leave you at the ganglion prompt. Safe to run again: it reuses what is there.
#   ./quickstart.sh          set up (or reuse) and open the prompt
#   ./quickstart.sh --stop   stop the background stack
set -euo pipefail

cd "$(dirname "$0")"
ROOT="$(pwd)"
export GANGLION_HOME="${GANGLION_HOME:-$ROOT/.ganglion}"
PORT="${GANGLION_PORT:-8080}"
export OPENFAAS_URL="${OPENFAAS_URL:-http://127.0.0.1:$PORT}"
PID_FILE="$GANGLION_HOME/ganglion.pid"
LOG_FILE="$GANGLION_HOME/ganglion.log"
CLI=(node "$ROOT/bin/ganglion.js")

say() { printf '%s\n' "$*"; }
die() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { printf '%s' "$pid"; return 0; }
  return 1
}

healthy() {
  node -e 'fetch(process.argv[1] + "/healthz", { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$OPENFAAS_URL"
}

if [ "${1:-}" = "--stop" ]; then
  if pid="$(running_pid)"; then
    kill "$pid" && say "stopped the Ganglion stack (pid $pid)"
    rm -f "$PID_FILE"
  else
    say "the Ganglion stack is not running (no live pid in $PID_FILE)"
  fi
  exit 0
fi

# 1. Node >= 20
command -v node >/dev/null 2>&1 || die "Node.js is not installed; install Node 20 or newer (https://nodejs.org, or your package manager) and run ./quickstart.sh again"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -lt 20 ]; then
  die "Ganglion needs Node 20 or newer; this is Node $(node -v) at $(command -v node). Install Node 20+ (e.g. nvm install 20) and run ./quickstart.sh again"
fi

# 2. Dependencies: npm ci when node_modules is missing or older than package-lock.json
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "==> installing dependencies (npm ci)"
  npm ci --no-audit --no-fund || die "npm ci failed; see the messages above (a network problem? try again, or run npm install)"
else
  say "==> dependencies are installed"
fi

# 3. Build
say "==> building (npm run build)"
if ! npm run build --silent; then
  # tsc still emits JavaScript when some file has a type error; go on if the stack and the CLI were built.
  [ -f dist/gateway/main.js ] && [ -f dist/cli/main.js ] || die "the build failed; see the TypeScript errors above"
  say "warning: the TypeScript build reported errors (above); continuing with the JavaScript it emitted"
fi

# 4. The embedded stack, in the background (or the one already running)
mkdir -p "$GANGLION_HOME"
if pid="$(running_pid)"; then
  say "==> the Ganglion stack is already running (pid $pid); reusing it"
elif healthy; then
  say "==> a gateway already answers at $OPENFAAS_URL; reusing it"
else
  say "==> starting the Ganglion stack on $OPENFAAS_URL (log: $LOG_FILE)"
  # The embedded stack is the demo: kube-sim, never a KUBECONFIG you happen to have set (npm start honours one).
  # Its own session (setsid) so closing this terminal does not hang it up; Node undoes nohup's SIGHUP ignore.
  DETACH=(nohup)
  command -v setsid >/dev/null 2>&1 && DETACH=(setsid nohup)
  env -u KUBECONFIG GANGLION_PORT="$PORT" "${DETACH[@]}" node "$ROOT/dist/gateway/main.js" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
fi

# 5. Wait for /healthz
for _ in $(seq 1 120); do
  healthy && break
  if ! running_pid >/dev/null && ! healthy; then
    tail -n 20 "$LOG_FILE" >&2 || true
    die "the stack exited while starting; the log above ($LOG_FILE) says why"
  fi
  sleep 0.5
done
healthy || die "the gateway did not answer $OPENFAAS_URL/healthz within 60 s; see $LOG_FILE"

# 6. The first command
say "==> ganglion \"Show me cluster status\""
set +e
"${CLI[@]}" "Show me cluster status"
status=$?
set -e
[ "$status" -eq 0 ] || say "(the first command exited with $status; the log is $LOG_FILE)"

# 7. The prompt, or how to reach it
if [ -t 0 ] && [ -t 1 ]; then
  say ""
  exec "${CLI[@]}"
fi
say ""
say "Ganglion is running at $OPENFAAS_URL."
[ "$OPENFAAS_URL" = "http://127.0.0.1:8080" ] || say "  first:       export OPENFAAS_URL=$OPENFAAS_URL"
say "  prompt:      ./bin/ganglion.js"
say "  one command: ./bin/ganglion.js \"Scale the web tier to 5 replicas\""
say "  (npm link once puts ganglion on your PATH)"
say "  stop it:     ./quickstart.sh --stop"
