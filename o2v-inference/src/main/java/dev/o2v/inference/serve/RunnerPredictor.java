package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.MaxSeqLens;
import dev.o2v.inference.Prediction;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.TruncationLengths;
import java.util.ArrayList;
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

  @Override
  public List<Prediction> predict(
      List<InferenceInstance> instances, Optional<MaxSeqLens> lengths) {
    TruncationLengths cut =
        lengths.map(l -> new TruncationLengths(l.in0(), l.in1())).orElse(null);
    List<InferenceResult> results = runner.infer(instances, cut);
    List<Prediction> predictions = new ArrayList<>(results.size());
    for (InferenceResult result : results) {
      predictions.add(result.isScores()
          ? Prediction.scores(result.scores())
          : Prediction.embeddings(result.embeddings()));
    }
    return predictions;
  }
}
