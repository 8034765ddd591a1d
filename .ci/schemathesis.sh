#!/usr/bin/env bash
# The API document is exactly true: schemathesis (pinned) generates requests from
# /openapi.json against a real `velodesk serve` on the demo city, once as an agent and once
# as an admin, and fails on any server error (5xx) and on any answer whose status, content
# type or body the document does not describe, or any invalid request the server accepts.
#
# Bounded: a fixed seed, a few examples per operation and a time budget per run, a few
# minutes in all on 2 cores. The database is a throw-away copy: the fuzzer changes it.
#
#   .ci/schemathesis.sh            # builds velodesk (debug) if needed
#   VELODESK_BIN=target/release/velodesk .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION=4.32.5
SEED=${SCHEMATHESIS_SEED:-20260601}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-12}
BUDGET=${SCHEMATHESIS_SECONDS:-100}
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# Python with venv (Debian splits it off), and schemathesis in a venv of its own under
# target/ (ignored by git), installed only when missing or its pinned set changed: every
# package at the version in .ci/schemathesis-requirements.txt (a newer hypothesis
# must not change what CI does between two runs of the same commit).
if ! have python3; then apt_install python3 python3-venv; fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then apt_install python3-venv; fi
VENV=${SCHEMATHESIS_VENV:-target/schemathesis-venv}
PINS=.ci/schemathesis-requirements.txt
grep -qx "schemathesis==$SCHEMATHESIS_VERSION" "$PINS"
if ! cmp -s "$PINS" "$VENV/pins.txt" || ! "$VENV/bin/schemathesis" --version >/dev/null 2>&1; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$PINS"
    cp "$PINS" "$VENV/pins.txt"
fi
PY="$VENV/bin/python"

BIN=${VELODESK_BIN:-target/debug/velodesk}
if [ -z "${VELODESK_BIN:-}" ]; then cargo build --quiet; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/velodesk-schemathesis.XXXXXX")
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/almaty.db"
"$BIN" init --demo almaty --db "$DB" >/dev/null
# GBFS 3.0 is served once the system has a feed contact (else 503, a server error here).
"$BIN" gbfs export --db "$DB" --out "$WORK/gbfs" --contact-email ops@velodesk.example >/dev/null
echo 'schemathesis-agent-pw' | "$BIN" staff add st-agent --role agent --db "$DB" >/dev/null
echo 'schemathesis-admin-pw' | "$BIN" staff add st-admin --role admin --db "$DB" >/dev/null

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!

# Wait for the server, then log in: prints the bearer token.
"$PY" - "$URL" <<'EOF'
import sys, time, urllib.request
url = sys.argv[1]
for _ in range(300):
    try:
        if urllib.request.urlopen(url + "/health", timeout=1).status == 200:
            sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("schemathesis: the server did not start")
EOF
token() {
    "$PY" - "$URL" "$1" "$2" <<'EOF'
import json, sys, urllib.request
url, name, password = sys.argv[1:4]
req = urllib.request.Request(url + "/auth/login", method="POST",
    data=json.dumps({"username": name, "password": password}).encode(),
    headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=30))["token"])
EOF
}

# Both sessions first: the fuzzer's wrong logins soon lock this address out (429).
declare -A TOKENS
for who in agent admin; do TOKENS[$who]=$(token "st-$who" "schemathesis-$who-pw"); done

status=0
for who in agent admin; do
    TOKEN=${TOKENS[$who]}
    echo "schemathesis: as the $who, against $URL (seed $SEED, $EXAMPLES examples per operation, at most $BUDGET s)"
    # Not fuzzed: the event stream never ends by itself (tests/sessions.rs and remote.rs
    # cover it), and logging out would end the run's own session.
    # One worker: on Python 3.11 `ast.parse` keeps its recursion depth in the interpreter's
    # state, shared by threads, and hypothesis parses the source of its lambdas while it
    # generates; two workers parsing at once failed CI once with "AST constructor recursion
    # depth mismatch", a fault of the tool, not of the server.
    if ! "$VENV/bin/schemathesis" run "$URL/openapi.json" \
        --checks "$CHECKS" \
        --header "Authorization: Bearer $TOKEN" \
        --seed "$SEED" \
        --max-examples "$EXAMPLES" \
        --max-time "$BUDGET" \
        --phases examples,coverage,fuzzing \
        --workers 1 \
        --request-timeout 40 \
        --exclude-path /events \
        --exclude-path /auth/logout \
        --generation-database none \
        --no-color \
        --report junit --report-dir "$WORK/report-$who"; then
        status=1
    fi
done
if [ "$status" -ne 0 ]; then
    echo "schemathesis: document and server disagree (the server's log follows)" >&2
    tail -n 50 "$WORK/serve.log" >&2 || true
fi
exit "$status"
