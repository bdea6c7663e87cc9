/**
 * The in-process inference API: {@link dev.o2v.api.Object2VecModel} opens a model directory
 * written by {@code o2v train} and embeds sides or scores pairs, from any thread.
 *
 * <p>Everything a caller needs is in this package; the other modules' types are implementation.
 */
package dev.o2v.api;
