package dev.o2v.benchmarks;

import dev.o2v.core.data.JsonlRecordCursor;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.synthetic.JsonlWriter;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.core.synthetic.SyntheticPairTask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: time to parse and validate one JSON Lines training record (topic-pair task, 10–20 ids per
 * side), measured over a block of {@value #LINES} in-memory lines so the cursor's setup is
 * amortised.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JsonlLineParseBenchmark {

  static final int LINES = 1000;

  private JsonlRecordReader reader;
  private byte[] block;

  /** Generates the lines once. */
  @Setup
  public void setUp() throws IOException {
    SyntheticPairTask task =
        new SyntheticPairTask(new SyntheticPairTask.Config(1000, 10, 100, 10, 20, 0.7, 0.5, false));
    StringWriter text = new StringWriter();
    try (JsonlWriter writer = new JsonlWriter(text, true)) {
      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < LINES; i++) {
        PairExample e = task.next(rng);
        writer.write(e);
      }
    }
    block = text.toString().getBytes(StandardCharsets.UTF_8);
    reader = new JsonlRecordReader(task.schema());
  }

  /** Parses every line; returns a checksum so the work cannot be optimised away. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long parseLine() {
    long sum = 0;
    try (JsonlRecordCursor cursor = reader.open(new ByteArrayInputStream(block), "bench")) {
      while (cursor.next()) {
        sum += cursor.current().length(0) + cursor.current().id(1, 0);
      }
    }
    return sum;
  }
}
