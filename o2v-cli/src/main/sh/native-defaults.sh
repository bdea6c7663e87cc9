# Process environment for libtorch, sourced by the o2v launcher and the benchmark harness. Each
# setting applies only when the variable is not already set; all are read once, when the process
# starts, so a JVM that embeds o2v must get them from its own start script (o2v-api sets the
# OpenMP one itself when it loads the engine first).
#
# glibc allocator settings for libtorch's large, short-lived arrays: one arena, a fixed 32 MiB
# mmap threshold, freed memory kept instead of returned to the system and faulted in again.
# Measured in benchmarks/README.md ("Allocator settings").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-536870912}"
# oneDNN limited to AVX2: on some AVX-512 CPUs its AVX-512 LSTM kernels compute wrong states for
# some hidden sizes. With this set, bilstm uses libtorch's fused LSTM op; without it, an AVX-512
# CPU gets o2v's step-by-step LSTM, which is correct but slower (LstmKernelChoice).
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# GNU OpenMP's idle threads spin about 30 microseconds at a barrier before they sleep, instead of
# its default of a few milliseconds. On cores that other processes keep busy, long-spinning
# threads took turns with the ones they waited for and training with the default thread count
# fell to a tenth of its speed or less; never spinning (OMP_WAIT_POLICY=PASSIVE) cost 18% on a
# quiet machine, this short spin about 2% (benchmarks/README.md, "A busy machine"). Left alone
# when the environment sets either variable.
if [ -z "${OMP_WAIT_POLICY:-}" ] && [ -z "${GOMP_SPINCOUNT:-}" ]; then
  export GOMP_SPINCOUNT=3000
fi
