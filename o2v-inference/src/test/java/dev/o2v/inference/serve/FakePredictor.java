package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.TruncationLengths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A predictor whose answers are simple functions of the ids (after truncation), so tests can
 * compute the expected answer: scores {@code [sum(in0), sum(in1)]}, embeddings {@code [side,
 * length, first id]}. It can be made to block until released.
 */
class FakePredictor implements Predictor {

  static final int VOCAB0 = 1000;
  static final int VOCAB1 = 50;
  static final int DEFAULT_MAX_LEN = 100;

  final CountDownLatch entered = new CountDownLatch(1);
  final AtomicInteger calls = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** Makes the next calls wait until {@link #release}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public int vocabSize(int side) {
    return side == 0 ? VOCAB0 : VOCAB1;
  }

  @Override
  public List<InferenceResult> predict(
      List<InferenceInstance> instances, Optional<TruncationLengths> lengths) {
    calls.incrementAndGet();
    entered.countDown();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<InferenceResult> out = new ArrayList<>();
    for (InferenceInstance instance : instances) {
      if (instance.isPair()) {
        out.add(InferenceResult.ofScores(new float[] {
            sum(instance.in0(), keep(lengths, 0)), sum(instance.in1(), keep(lengths, 1))}));
      } else {
        int side = instance.singleSide();
        int[] ids = instance.ids(side);
        out.add(InferenceResult.ofEmbeddings(
            new float[] {side, Math.min(ids.length, keep(lengths, side)), ids[0]}));
      }
    }
    return out;
  }

  private static int keep(Optional<TruncationLengths> lengths, int side) {
    return lengths.map(l -> l.of(side)).orElse(DEFAULT_MAX_LEN);
  }

  private static float sum(int[] ids, int keep) {
    float total = 0;
    for (int i = 0; i < Math.min(keep, ids.length); i++) {
      total += ids[i];
    }
    return total;
  }
}
