/** Training and evaluation metrics, and their SageMaker-format log lines. */
package dev.o2v.train.metrics;
