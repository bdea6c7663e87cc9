package dev.o2v.benchmarks;

import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: time to assemble one padded 256-record training batch (ids, lengths, labels of both sides)
 * from a shuffled epoch plan, with one negative per record, for sequences of up to {@code
 * maxLen} tokens.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BatchAssemblyBenchmark {

  @Param({"20", "200"})
  public int maxLen;

  private BatchAssembler assembler;
  private EpochPlan plan;
  private int next;

  /** Builds 20,000 records and plans one epoch of 256-record batches. */
  @Setup
  public void setUp() {
    SyntheticPairTask task =
        new SyntheticPairTask(
            new SyntheticPairTask.Config(10_000, 10, 1000, maxLen / 2, maxLen, 0.7, 0.5, false));
    PairDataset.Builder builder = PairDataset.builder(task.schema());
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      PairExample e = task.next(rng);
      builder.add(e.in0(), e.in1(), (float) e.label());
    }
    PairDataset data = builder.build();
    assembler = new BatchAssembler(data);
    plan = new BatchPlanner(data, 256, 0, 1, 7).plan(0);
  }

  /** Assembles the next batch of the plan. */
  @Benchmark
  public Batch assemble256() {
    Batch batch = assembler.assemble(plan, next);
    next = next + 1 == plan.batchCount() ? 0 : next + 1;
    return batch;
  }
}
