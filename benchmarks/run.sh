#!/usr/bin/env bash
# Builds the benchmarks module and runs the benchmark harness (o2v against a PyTorch eager
# reference, including AWS's document-embedding job; scaling curves; physical floor of the
# MovieLens-shaped and document-embedding steps; `o2v train` at a small and a large vocabulary
# through the launcher).
#
#   benchmarks/run.sh [--quick] [--device cpu|gpu] [--out DIR] [--python PATH|none]
#                     [--suites throughput,scaling,floor,cli] [--only REGEX]
#   benchmarks/run.sh --jmh [JMH OPTIONS]      # the JMH microbenchmarks instead
#
# The PyTorch reference needs an interpreter with torch. On Debian/Ubuntu:
#   apt-get update && apt-get install -y python3-torch libopenblas0-pthread
# then the default --python /usr/bin/python3 works. Use --python none to skip the reference.
# A full CPU run takes a long time on a small machine (SageMaker-default sizes are slow);
# --quick is a smoke run with few steps. Results go to benchmarks/results (full run) or
# benchmarks/target/results-quick (--quick) unless --out is given.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mode=harness
args=()
quick=false
python=/usr/bin/python3
out_given=false
for arg in "$@"; do
  case "$arg" in
    --jmh) mode=jmh ;;
    --quick) quick=true; args+=("$arg") ;;
    --out) out_given=true; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--python" && $((i + 1)) -lt ${#args[@]} ]]; then
    python="${args[$((i + 1))]}"
  fi
done

echo "run.sh: building o2v and the benchmarks module (mvn -o package -DskipTests)..." >&2
mvn -B -o -q -pl benchmarks -am package -DskipTests >&2 || {
  echo "run.sh: the build failed; run 'mvn -B -pl benchmarks -am package -DskipTests' to see why" >&2
  exit 70
}
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
# The o2v launcher's process settings for everything below (the reference inherits them, so
# both sides run with the same allocator settings). Offline by default; a later
# -Dai.djl.offline=false in O2V_BENCH_JAVA_OPTS wins. The heap on transparent huge pages where
# the kernel offers them and its young generation capped, as the launcher runs it.
source "$root/o2v-cli/src/main/sh/native-defaults.sh"
default_opts="-Xmx12g $jvm_young_generation_option${jvm_huge_pages_option:+ $jvm_huge_pages_option}"
# Adam on the JDK's vector module, as the launcher runs training (the workloads' child processes
# inherit the harness's options); nothing where the runtime lacks the module, since an empty
# argument would be taken for the main class.
java_opts=(-Dai.djl.offline=true ${jvm_vector_module_option:+"$jvm_vector_module_option"}
  ${O2V_BENCH_JAVA_OPTS:-$default_opts})

if [[ "$mode" == jmh ]]; then
  exec java "${java_opts[@]}" -cp "$classpath" org.openjdk.jmh.Main "${args[@]}"
fi

if [[ "$python" != none ]]; then
  if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "run.sh: '$python' cannot import torch, so the PyTorch reference cannot run." >&2
    echo "run.sh: install it (Debian/Ubuntu: apt-get update && apt-get install -y python3-torch" >&2
    echo "run.sh: libopenblas0-pthread), point --python at an interpreter with torch, or pass" >&2
    echo "run.sh: --python none to measure o2v alone." >&2
    exit 69
  fi
fi
if [[ "$quick" == true && "$out_given" == false ]]; then
  args+=(--out "$root/benchmarks/target/results-quick")
fi

exec java "${java_opts[@]}" -cp "$classpath" dev.o2v.benchmarks.Harness "${args[@]}"
