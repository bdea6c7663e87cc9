# glibc allocator settings for libtorch's large, short-lived arrays, sourced by the o2v launcher
# and the benchmark harness. Each applies only when the variable is not already set: one arena,
# a fixed 32 MiB mmap threshold, freed memory kept instead of returned to the system and
# faulted in again. Measured in benchmarks/README.md ("Allocator settings").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-536870912}"
