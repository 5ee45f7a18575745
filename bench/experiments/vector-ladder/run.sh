#!/usr/bin/env bash
# EXPERIMENT (see README.md): compiles the four-lane Vector API X25519 prototype beside psi-core's
# classes and compares it with Jointly's scalar ladder in one JVM. Needs only JDK 17.
# Usage: bench/experiments/vector-ladder/run.sh [rounds=41]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
classes="$root/psi-core/target/classes"
if [ ! -d "$classes/io/jointly/group/internal" ]; then
  (cd "$root" && ./mvnw -q -B -pl psi-core -am -DskipTests compile)
fi
out="$root/bench/target/vector-ladder"
rm -rf "$out" && mkdir -p "$out"
javac -nowarn --add-modules jdk.incubator.vector -cp "$classes" -d "$out" \
  "$here"/src/io/jointly/group/internal/*.java 2>&1 | grep -v '^warning\|^Note\|^1 warning' || true
java --add-modules jdk.incubator.vector -cp "$out:$classes" \
  io.jointly.group.internal.VectorLadderCompare "${1:-41}" 2>&1 | grep -v 'incubator modules'
