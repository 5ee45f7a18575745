#!/usr/bin/env bash
# EXPERIMENT (see README.md): Jointly's CsvReader against FastCSV and Commons CSV on the same file.
# Usage: bench/experiments/csv-readers/run.sh [rows=4194304] [rounds=7]
# Needs the built CLI classes (./mvnw -B -DskipTests package) and fetches the two libraries with
# the Maven wrapper into ~/.m2 (nothing is added to the build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
(cd "$root" && for a in de.siegmar:fastcsv:4.0.0 org.apache.commons:commons-csv:1.14.1; do
  ./mvnw -q -B dependency:get -Dartifact=$a >/dev/null; done)
m2="$HOME/.m2/repository"
cp="$root/examples/target/classes:$root/psi-core/target/classes:$m2/de/siegmar/fastcsv/4.0.0/fastcsv-4.0.0.jar"
cp="$cp:$m2/org/apache/commons/commons-csv/1.14.1/commons-csv-1.14.1.jar"
cp="$cp:$(ls "$m2"/commons-io/commons-io/2.*/commons-io-2.*.jar | sort -V | tail -1)"
cp="$cp:$(ls "$m2"/commons-codec/commons-codec/1.*/commons-codec-1.*.jar | sort -V | tail -1)"
out="$root/bench/target/csv-readers"
mkdir -p "$out/classes"
javac -nowarn -cp "$cp" -d "$out/classes" "$here/src/CsvReaders.java"
java -cp "$out/classes:$cp" CsvReaders "$out" "${1:-4194304}" "${2:-7}"
