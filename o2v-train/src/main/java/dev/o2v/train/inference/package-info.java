/**
 * Inference with a trained model: scores of pairs and embeddings of single sides, for batch jobs
 * ({@code o2v predict}, {@code o2v embed}, {@code o2v neighbors}) and the HTTP server alike.
 *
 * <p>{@link dev.o2v.train.inference.InferenceRunner} is the thread-safe core; records go in as
 * {@link dev.o2v.core.inference.InferenceInstance} and come back as {@link
 * dev.o2v.train.inference.InferenceResult}, in the same order.
 */
package dev.o2v.train.inference;
