/**
 * {@code o2v serve}: an HTTP server that speaks the SageMaker inference container contract.
 *
 * <p>{@code GET /ping} answers 200 while the model is loaded; {@code POST /invocations} takes
 * {@code application/json} or {@code application/jsonlines} and answers in the type named by
 * {@code Accept}. A body sent without a {@code Content-Type}, or as {@code
 * application/octet-stream}, is read as JSON, else as JSON Lines. Jetty's threads only read,
 * decode and write; a {@link dev.o2v.inference.serve.DynamicBatcher} hands decoded instances to a few
 * worker threads that run the model, coalescing concurrent requests into one model batch.
 *
 * <p>Status codes:
 *
 * <ul>
 *   <li>400: the body or the {@code infer_max_seqlens} parameter breaks the format (one-line
 *       reason in {@code {"error": ...}});
 *   <li>404 unknown path, 405 wrong method (with {@code Allow});
 *   <li>406: {@code Accept} names no supported type (the HTTP status for an unsatisfiable Accept;
 *       a {@code Content-Type} we cannot read is 415);
 *   <li>413: the body is larger than {@code --max-body-bytes}; refused from {@code
 *       Content-Length} before reading, or as soon as a chunked body passes the limit;
 *   <li>503 with {@code Retry-After}: the request queue is full, or the server is shutting down;
 *   <li>500: a fault of the server itself, logged with the request id that the body names.
 * </ul>
 */
package dev.o2v.inference.serve;
