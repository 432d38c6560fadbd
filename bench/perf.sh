#!/usr/bin/env bash
# Every headline figure of docs/PERFORMANCE.md, kronet and its references side by side in one run.
#
#   bench/perf.sh                  all vector shapes this CPU can run, 1 and 2 threads (~25 min on 2 cores)
#   SHAPES="8" THREADS=1 LAYERS=0 bench/perf.sh     one shape, one thread, no per-layer table (~3 min)
#
# Shapes: 16 = AVX-512 (needs avx512f), 8 = AVX2 (run as -XX:UseAVX=2 on an AVX-512 machine),
# 4 = 4 lanes (-XX:MaxVectorSize=16 on x86; NEON's width). Each shape's kronet JVM, OpenBLAS and
# PyTorch are held to the same vector width. Output: the tables on stdout and in
# bench/target/perf/report.md, the raw lines beside it.
# References (Debian, as root): apt-get update && apt-get install -y build-essential maven
#   python3-torch python3-numpy libopenblas0-pthread
# Environment: SHAPES, THREADS, ROUNDS (repeat the throughput runs, best kept; default 1),
# LAYERS (0 skips the per-layer conv table), JAVA_HOME (a JDK >= 25).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/target/perf"
RAW="$OUT/raw.txt"
PY=/usr/bin/python3
say() { printf 'perf: %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  say "needs JDK 25 or newer: set JAVA_HOME (looked at $JAVA_HOME)"
  exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
missing=()
command -v gcc >/dev/null || missing+=(build-essential)
command -v mvn >/dev/null || missing+=(maven)
"$PY" -c 'import torch' 2>/dev/null || missing+=(python3-torch)
"$PY" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
ls /usr/lib/*/libopenblas*.so* >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if ((${#missing[@]})); then
  say "missing references: apt-get update && apt-get install -y ${missing[*]}"
  exit 1
fi

# --- shapes ------------------------------------------------------------------------------------
flags=$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo || true)
if [[ -z "${SHAPES:-}" ]]; then
  if [[ "$flags" == *avx512f* ]]; then SHAPES="16 8 4"
  elif [[ "$flags" == *avx2* ]]; then SHAPES="8 4"
  else SHAPES="4"; fi
fi
THREADS="${THREADS:-1 2}"
ROUNDS="${ROUNDS:-1}"
LAYERS="${LAYERS:-1}"

# JVM flags, PyTorch and OpenBLAS pins for one shape (the references at the same width).
jvm_flags() {
  case "$1" in
    16) echo "-XX:UseAVX=3" ;;
    8) [[ "$flags" == *avx512f* ]] && echo "-XX:UseAVX=2" || echo "" ;;
    4) [[ "$flags" == *avx2* ]] && echo "-XX:MaxVectorSize=16" || echo "" ;;
  esac
}
reference_env() {
  case "$1" in
    16) echo "-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE" ;;  # OpenBLAS picks its own (AVX-512) kernels
    8) echo "OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2" ;;
    # on x86 the 4-lane references are SSE code; elsewhere (NEON) they run natively
    4) [[ "$flags" == *avx2* ]] \
         && echo "OPENBLAS_CORETYPE=Nehalem ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41" \
         || echo "" ;;
  esac
}

# --- build -------------------------------------------------------------------------------------
mkdir -p "$OUT"
: >"$RAW"
say "building the benchmarks jar"
(cd "$ROOT" && mvn -B -ntp -q -pl bench -am package -DskipTests -Dspotless.check.skip=true)
JAR="$ROOT/bench/target/benchmarks.jar"
OPTS=(--add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -Xms4g -Xmx4g -XX:+AlwaysPreTouch)
# PyTorch page-faults on every fresh multi-MB tensor unless glibc keeps freed memory.
MALLOC=(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000)

# Runs a command, tagging each output line with the shape and who produced it. A command that
# fails is reported and the run goes on: its figures show as "—" in the tables.
record() {
  local shape=$1 who=$2
  shift 2
  { "$@" 2>/dev/null || say "failed ($who, $shape lanes): $*"; } \
    | { grep -vE '^(WARNING|#|$)' || true; } | sed "s/^/@shape=$shape src=$who /" | tee -a "$RAW" >&2
}

{
  echo "@machine $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) cpus)"
  echo "@jdk $("$JAVA" -version 2>&1 | head -1)"
  echo "@torch $("$PY" -c 'import torch; print(torch.__version__)')"
  echo "@date $(date -u '+%Y-%m-%d %H:%M UTC') commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
} >>"$RAW"

for shape in $SHAPES; do
  jf=$(jvm_flags "$shape")
  read -r -a renv <<<"$(reference_env "$shape")"
  echo "@flags shape=$shape jvm=${jf:-none} references=${renv[*]:-native}" >>"$RAW"
  say "shape $shape lanes (JVM ${jf:-no flags}; references ${renv[*]:-native})"

  gcc -O3 -march=native -ffp-contract=fast -fopenmp -DLANES="$shape" \
    "$ROOT/bench/anchors/fma_peak.c" -o "$OUT/fma$shape"
  record "$shape" peak "$OUT/fma$shape" "$(nproc)"

  "$JAVA" -jar "$JAR" SgemmBenchmark -f 1 -wi 3 -w 1 -i 3 -r 1 -p threads=1 \
    -p size=1024,64x576x6272,16x144x100352,32x288x25088,64x6272x576 -rf json -rff "$OUT/sgemm$shape.json" \
    -jvmArgsAppend "$jf --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64" >"$OUT/sgemm$shape.log" 2>&1
  record "$shape" kronet "$PY" -c "import json; [print('kronet sgemm size=%s gflops=%.1f' % (r['params']['size'], r['secondaryMetrics']['gflop']['score'])) for r in json.load(open('$OUT/sgemm$shape.json'))]"
  record "$shape" openblas env "${renv[@]}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
    "$PY" "$ROOT/bench/anchors/openblas_sgemm.py"

  for ((round = 1; round <= ROUNDS; round++)); do
    for t in $THREADS; do
      for model in resnet20 kron-anchor; do
        # shellcheck disable=SC2086 # jf is empty or one flag
        record "$shape" kronet "$JAVA" "${OPTS[@]}" $jf -cp "$JAR" dev.kronet.bench.TrainThroughput \
          "$t" 3 4 30 1 28 "$model"
        record "$shape" torch env "${renv[@]}" "${MALLOC[@]}" \
          "$PY" "$ROOT/bench/anchors/torch_train_steps.py" "$t" "$model"
      done
    done
  done

  if [[ "$LAYERS" != 0 ]]; then
    # shellcheck disable=SC2086
    record "$shape" kronet "$JAVA" "${OPTS[@]}" $jf -cp "$JAR" dev.kronet.bench.ConvLayerCpuTimes 20
    record "$shape" torch env "${renv[@]}" "${MALLOC[@]}" "$PY" "$ROOT/bench/anchors/torch_conv_layers.py" 1
  fi
done

"$PY" "$ROOT/bench/anchors/perf_report.py" "$RAW" | tee "$OUT/report.md"
