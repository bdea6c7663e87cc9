/**
 * Inference with a trained model: scores of pairs and embeddings of single sides, for batch jobs
 * ({@code o2v predict}, {@code o2v embed}, {@code o2v neighbors}), the HTTP server and the
 * in-process API alike.
 *
 * <p>{@link dev.o2v.inference.InferenceRunner} is the thread-safe core; records go in as {@link
 * dev.o2v.inference.InferenceInstance} and come back as {@link
 * dev.o2v.inference.InferenceResult}, in the same order. The wire format is shared by the HTTP
 * server and batch jobs: media types and their {@code infer_max_seqlens} parameter ({@link
 * dev.o2v.inference.serve.RequestContentType}), {@code Accept} negotiation ({@link
 * dev.o2v.inference.serve.AcceptNegotiation}), request decoding ({@link
 * dev.o2v.inference.InferenceRequestDecoder}) and result writing ({@link
 * dev.o2v.inference.ResultWriter}).
 *
 * <p>Decoding rules:
 *
 * <ul>
 *   <li>{@code application/json}: one object whose {@code instances} field is a non-empty array of
 *       instance objects; other top-level fields are ignored.
 *   <li>{@code application/jsonlines}: one instance object per line; blank lines are skipped; at
 *       least one instance.
 *   <li>No {@code Content-Type}, or {@code application/octet-stream}: the body is read as {@code
 *       application/json} if it is valid as such, else as {@code application/jsonlines}; the
 *       answer's default format is the one that read it.
 *   <li>An instance carries {@code in0}, {@code in1} or both, each an array of integer ids in
 *       {@code [0, vocab_size)} of its side; other fields (such as {@code label}) are ignored.
 *       Sequences are neither truncated nor filtered here: that is the model's business. An empty
 *       side (or, where id 0 is padding, one of only zeros) is valid and encodes to zeros. Each
 *       instance is read and checked by the record reader of batch jobs ({@link
 *       dev.o2v.core.data.RecordObjectParser}), so both check ids the same way.
 *   <li>Every violation is an {@link dev.o2v.inference.InferenceRequestException} whose
 *       one-line message starts with where it happened, e.g. {@code instances[3].in1[2]: id 5000
 *       is outside the vocabulary [0, 1000)} or {@code line 4: ...}.
 * </ul>
 */
package dev.o2v.inference;
