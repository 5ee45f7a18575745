#!/usr/bin/env bash
# EXPERIMENT (see README.md): times psi-core's X25519 ladder with a patch applied against the ladder
# as it is, in one JVM (thread CPU time, alternating rounds). Needs only JDK 17 and `patch`.
# Usage: bench/experiments/ladder-ab/run.sh PATCH|none [rounds=401] [--timing-only]
#   PATCH: a file in patches/ (or any unified diff of psi-core's group/internal sources, -p1);
#   none:  the harness against itself (an A/A run: shows the harness's own noise).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
classes="$root/psi-core/target/classes"
pkg=psi-core/src/main/java/io/jointly/group/internal
if [ ! -d "$classes/io/jointly/group/internal" ]; then
  (cd "$root" && ./mvnw -q -B -pl psi-core -am -DskipTests compile)
fi
out="$root/bench/target/ladder-ab"
rm -rf "$out" && mkdir -p "$out/tree/$pkg"
cp -r "$classes" "$out/old"
cp -r "$classes" "$out/new"
if [ "$1" != none ]; then
  cp "$root/$pkg"/*.java "$out/tree/$pkg/"
  patch_file="$1"
  [ -f "$patch_file" ] || patch_file="$here/patches/$1"
  (cd "$out/tree" && patch -s -p1 < "$patch_file")
  # Only the files the patch touches are recompiled (psi-core's other classes need Bouncy Castle).
  changed=$(sed -n 's|^+++ b/\([^[:space:]]*\.java\).*|\1|p' "$patch_file")
  (cd "$out/tree" && javac -nowarn -cp "$classes" -d "$out/new" $changed)
fi
javac -d "$out/harness" "$here/src/LadderAb.java"
java -cp "$out/harness" LadderAb "$out/old" "$out/new" "${2:-401}" ${3:-}
