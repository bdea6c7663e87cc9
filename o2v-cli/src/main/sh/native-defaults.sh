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
# Transparent huge pages for the memory glibc maps for large arrays (32 MiB and more with the
# threshold above: token tables, their Adam moments, SageMaker-sized batches). Random rows of a
# table of millions of rows each cost a page walk on 4 KiB pages, and a fresh table or moment
# array is faulted in 4 KiB at a time: with them, `o2v train` at 3,000,000 rows took a median
# 29 s instead of 44 s and trained 18-25% more records a second, with no change beyond the noise
# at small sizes (benchmarks/README.md, "Huge pages"). Has an effect only where the kernel's
# transparent huge pages are enabled or on madvise, and glibc is 2.35 or newer. Left alone when
# GLIBC_TUNABLES already chooses it.
case ":${GLIBC_TUNABLES:-}:" in
  *:glibc.malloc.hugetlb=*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" ;;
esac
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
# Not an environment variable: the JVM option that puts the heap on transparent huge pages, for
# the launcher's and the harness's default Java options. o2v train on a 10,000-row table trained
# 13-20% more records a second with it (benchmarks/README.md, "Huge pages"). Empty where the
# kernel offers no transparent huge pages ("never" or no such file): there the JVM prints a
# warning on standard output, which would land in the answers of o2v predict and embed.
jvm_huge_pages_option=""
if [ -r /sys/kernel/mm/transparent_hugepage/enabled ] \
    && grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled; then
  jvm_huge_pages_option="-XX:+UseTransparentHugePages"
fi
# Not an environment variable either: the JVM option that caps the heap's young generation at 32
# MiB, for the same default Java options. Left to itself the collector grows the young generation
# to hundreds of megabytes, so a run's first few hundred megabytes of short-lived objects each land
# on heap memory the process touches for the first time; where fresh memory is slow to touch
# (virtual machines whose host backs guest memory on first use: 1.6 s per GiB here, against 0.1 s
# for memory used before), that was 5-15% of a short training run. With the cap the young
# generation's memory is reused after each collection: two or three short pauses an epoch of that
# run (benchmarks/README.md, "Young generation").
jvm_young_generation_option="-XX:MaxNewSize=32m"
# Not an environment variable either: the JVM option that gives training the JDK's vector module
# (jdk.incubator.vector, part of every JDK from 16 on). With it Adam's updates load and store whole
# vectors of floats in the weights' and moments' own memory instead of copying each block into
# Java arrays and back; the results are the same bit for bit. A whole-weight update of 1,048,576
# elements took 0.50-0.55 ms on one thread instead of 0.83-1.01 ms, and the MovieLens-shaped
# training step 4.2-4.6 ms instead of 4.8-5.8 ms (benchmarks/README.md, "Adam in whole vectors").
# A JVM given it prints one line on standard error: "WARNING: Using incubator modules:
# jdk.incubator.vector". Empty where the java on the PATH does not list the module in its release
# file (a trimmed runtime would refuse to start with it); o2v then updates through Java arrays.
jvm_vector_module_option=""
if o2v_java="$(command -v java 2>/dev/null)" \
    && grep -qs 'jdk\.incubator\.vector' "$(dirname "$(dirname "$(readlink -f "$o2v_java")")")/release"; then
  jvm_vector_module_option="--add-modules=jdk.incubator.vector"
fi
unset o2v_java
