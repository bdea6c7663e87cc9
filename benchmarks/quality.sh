#!/usr/bin/env bash
# Builds the benchmarks module and runs the quality suite (dev.o2v.benchmarks.quality.QualitySuite):
# o2v and the PyTorch reference trained on SICK, STS-B and the MovieLens-shaped rating task with
# the same hyperparameters, every epoch scored on the validation split.
#
#   benchmarks/quality.sh [--data DIR] [--seeds 1,2,3] [--tasks sick,stsb,movielens]
#                         [--encoders hcnn,bilstm,pooled_embedding] [--epochs N]
#                         [--o2v-init shipped,...] [--reference init=pytorch,...|none]
#                         [--python PATH|none] [--set key=value]
#
# --data defaults to ../shared/data relative to the repository root (sick/SICK_train.txt,
# sick/SICK_trial.txt, stsb/sts-train.csv, stsb/sts-dev.csv). o2v trains on one libtorch thread
# and the reference on one torch thread, side by side.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--python" && $((i + 1)) -lt ${#args[@]} ]]; then
    python="${args[$((i + 1))]}"
  fi
done

echo "quality.sh: building o2v and the benchmarks module (mvn -o package -DskipTests)..." >&2
mvn -B -o -q -pl benchmarks,o2v-cli -am package -DskipTests >&2 || {
  echo "quality.sh: the build failed; run 'mvn -B -pl benchmarks,o2v-cli -am package -DskipTests'" >&2
  exit 70
}
if [[ "$python" != none ]] && ! "$python" -c 'import torch' 2>/dev/null; then
  echo "quality.sh: '$python' cannot import torch; install it (Debian/Ubuntu: apt-get install" >&2
  echo "quality.sh: -y python3-torch libopenblas0-pthread) or pass --python none" >&2
  exit 69
fi
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
source "$root/o2v-cli/src/main/sh/native-defaults.sh"
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 ${O2V_BENCH_JAVA_OPTS:--Xmx4g} \
  -Do2v.cli.jar="$root/o2v-cli/target/o2v.jar" \
  -cp "$classpath" dev.o2v.benchmarks.quality.QualitySuite "$@"
