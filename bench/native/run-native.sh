#!/usr/bin/env bash
# Builds and runs the libsodium baseline (scalarmult_bench.c) against Debian's libsodium-dev,
# installing it with apt-get if it is missing. Output: one JSON line per primitive on stdout.
# Usage: bench/native/run-native.sh [rounds] [calls-per-round]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../target/native"
mkdir -p "$out"
if ! pkg-config --exists libsodium 2>/dev/null && [ ! -f /usr/include/sodium.h ]; then
  echo "libsodium-dev missing: installing it from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq libsodium-dev >&2
fi
cc -O2 -march=native -o "$out/scalarmult_bench" "$here/scalarmult_bench.c" -lsodium
"$out/scalarmult_bench" "${1:-15}" "${2:-2000}"
