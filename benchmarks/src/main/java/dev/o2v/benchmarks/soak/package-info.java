/**
 * A soak of the inference server: concurrent valid, invalid, slow and abandoned requests on
 * loopback for a while, with a {@code /ping} probe and memory samples, summarised in a report.
 */
package dev.o2v.benchmarks.soak;
