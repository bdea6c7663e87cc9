package dev.o2v.inference.serve;

import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.TruncationLengths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The decoded instances of one request, waiting for the model; {@link #result} completes with one
 * prediction per instance or with the exception that prevented them.
 *
 * @param instances the request's instances, in order
 * @param lengths its {@code infer_max_seqlens}, if any (only jobs with equal lengths share a batch)
 * @param result completed by a worker
 */
record InferenceJob(
    List<InferenceInstance> instances,
    Optional<TruncationLengths> lengths,
    CompletableFuture<List<InferenceResult>> result) {

  /** A job with a fresh, incomplete result. */
  public static InferenceJob of(List<InferenceInstance> instances, Optional<TruncationLengths> lengths) {
    return new InferenceJob(List.copyOf(instances), lengths, new CompletableFuture<>());
  }

  /** Number of instances. */
  public int size() {
    return instances.size();
  }
}
