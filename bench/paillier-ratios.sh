#!/usr/bin/env bash
# Paillier speed-ups against the textbook baseline, measured as adjacent pairs and repeated, so that
# load from other processes on a shared machine hits both sides of each ratio alike.
#   bench/paillier-ratios.sh [repeats]      (default 3; about 1.5 minutes per repeat here)
# Prints one line per repeat and pair, then the median ratio per pair. Needs python3 for the JSON.
set -euo pipefail
repeats="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests -pl bench -am package
out=bench/target/results/paillier-ratios
mkdir -p "$out"
args=(-f 1 -wi 2 -i 5 -w 1s -r 1s)
pairs=(
  "encrypt|PaillierBenchmark.(encryptPooled|encryptTextbook)$"
  "decrypt|PaillierBenchmark.(decryptCrt|decryptTextbook)$"
  "multiexp|PaillierMultiExpBenchmark.multiExp|PaillierBenchmark.multiplyScalar32Textbook$"
)
for r in $(seq 1 "$repeats"); do
  for p in "${pairs[@]}"; do
    name="${p%%|*}"
    java -jar "$jar" "${args[@]}" -p terms=4096,16384 -rf json -rff "$out/$name-$r.json" "${p#*|}" > "$out/$name-$r.log"
  done
done
python3 - "$out" "$repeats" <<'PY'
import json, statistics, sys
out, repeats = sys.argv[1], int(sys.argv[2])
def medians(path):
    res = {}
    for b in json.load(open(path)):
        name = b["benchmark"].rsplit(".", 1)[1]
        terms = b.get("params", {}).get("terms")
        raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        scale = 1000.0 if b["primaryMetric"]["scoreUnit"] == "ms/op" else 1.0
        res[name + (f"@{terms}" if terms else "")] = statistics.median(raw) * scale  # µs
    return res
rows = {}
for r in range(1, repeats + 1):
    e = medians(f"{out}/encrypt-{r}.json")
    d = medians(f"{out}/decrypt-{r}.json")
    m = medians(f"{out}/multiexp-{r}.json")
    got = {
        "pooled encryption vs textbook": e["encryptTextbook"] / e["encryptPooled"],
        "CRT decryption vs textbook": d["decryptTextbook"] / d["decryptCrt"],
    }
    for t in (4096, 16384):
        per_term = m[f"multiExp@{t}"] / t
        got[f"textbook scalar mult vs multi-exp per term, {t} terms"] = m["multiplyScalar32Textbook"] / per_term
        print(f"repeat {r}: multi-exp {t} terms {per_term:.1f} us/term, textbook scalar mult {m['multiplyScalar32Textbook']:.1f} us")
    print(f"repeat {r}: pooled {e['encryptPooled']:.2f} us, textbook enc {e['encryptTextbook']:.0f} us; "
          f"CRT dec {d['decryptCrt']:.0f} us, textbook dec {d['decryptTextbook']:.0f} us")
    for k, v in got.items():
        rows.setdefault(k, []).append(v)
        print(f"repeat {r}: {k}: {v:.2f}x")
for k, v in rows.items():
    print(f"median of {len(v)}: {k}: {statistics.median(v):.2f}x (range {min(v):.2f}-{max(v):.2f})")
PY
