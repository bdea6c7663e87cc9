package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.TruncationLengths;
import java.util.List;
import java.util.Optional;

/** The model as the server sees it: answers a batch of instances; thread-safe. */
public interface Predictor {

  /** Ids of {@code side} (0 or 1) must be below this. */
  int vocabSize(int side);

  /**
   * Answers every instance; prediction {@code i} answers instance {@code i}. The server hands
   * over only instances its decoder has checked against {@link #vocabSize}.
   *
   * @param lengths truncation lengths from {@code infer_max_seqlens}, or empty for the model's
   * @throws dev.o2v.inference.InvalidRecordException naming the index of an instance the
   *     model cannot answer
   */
  List<InferenceResult> predict(
      List<InferenceInstance> instances, Optional<TruncationLengths> lengths);
}
