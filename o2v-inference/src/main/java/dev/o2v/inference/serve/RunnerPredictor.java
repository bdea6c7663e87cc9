package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.TruncationLengths;
import java.util.List;
import java.util.Optional;

/** A {@link Predictor} over a loaded model's {@link InferenceRunner}. */
public final class RunnerPredictor implements Predictor {

  private final InferenceRunner runner;

  /** Answers with {@code runner}. */
  public RunnerPredictor(InferenceRunner runner) {
    this.runner = runner;
  }

  @Override
  public int vocabSize(int side) {
    return runner.vocabSize(side);
  }

  /** Answers requests that the server's decoder has checked against {@link #vocabSize}. */
  @Override
  public List<InferenceResult> predict(
      List<InferenceInstance> instances, Optional<TruncationLengths> lengths) {
    return runner.inferChecked(instances, lengths.orElse(null));
  }
}
