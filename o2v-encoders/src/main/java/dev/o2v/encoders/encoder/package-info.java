/**
 * Sequence encoders: DJL blocks that turn embedded, length-masked token sequences into one
 * fixed-width vector per sequence ({@code pooled_embedding}, {@code hcnn}, {@code bilstm}).
 *
 * <p>Every encoder takes {@code NDList(embedded [B, T, D], lengths [B] int32)} and returns {@code
 * NDList(encoding [B, encDim])}. Rows of {@code embedded} at or past a sequence's length are
 * padding with arbitrary values; every encoder ignores them, so a sequence encodes the same way
 * whatever it is batched with.
 */
package dev.o2v.encoders.encoder;
