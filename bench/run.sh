#!/usr/bin/env bash
# Runs the benchmark suite and writes JSON results plus a Markdown table.
#   bench/run.sh quick   # short iterations, smallest sizes (a few minutes)
#   bench/run.sh full    # the figures for bench/README.md, including the 2^20 x 2^20 PSI
#   bench/run.sh smoke   # CI: every benchmark once, minimal time, no figures worth quoting
# Results: bench/target/results/{jmh.json,native.json,report.md[,psi-2^20.txt]}
set -euo pipefail
mode="${1:-quick}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar=bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find psi-core/src bench/src -newer "$jar" -type f -print -quit)" ]; then
  ./mvnw -q -B -DskipTests -pl bench -am package
fi
out=bench/target/results
mkdir -p "$out"
case "$mode" in
  smoke) jmh_args=(-f 1 -wi 0 -i 1 -w 100ms -r 100ms -p size=4096) ;;
  quick) jmh_args=(-f 1 -wi 2 -i 3 -w 1s -r 1s -p size=4096) ;;
  full)  jmh_args=(-f 1) ;;
  *) echo "usage: bench/run.sh quick|full|smoke" >&2; exit 2 ;;
esac
native="-"
if [ "$mode" != smoke ]; then
  if bench/native/run-native.sh > "$out/native.json"; then native="$out/native.json"; else
    echo "native baseline unavailable; report will have no ratios" >&2; fi
fi
java -jar "$jar" "${jmh_args[@]}" -rf json -rff "$out/jmh.json" "${JMH_FILTER:-io.jointly.bench.}"
java -cp "$jar" io.jointly.bench.Report "$out/jmh.json" "$native" "$out/report.md"
if [ "$mode" = full ]; then
  java -cp "$jar" io.jointly.bench.psi.PsiScale 20 ristretto255 bank | tee "$out/psi-2^20.txt"
fi
echo "report: $out/report.md"
