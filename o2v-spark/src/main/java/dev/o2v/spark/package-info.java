/**
 * Spark ML transformers that run an o2v model over a DataFrame: {@link
 * dev.o2v.spark.Object2VecEmbedder} embeds one side of each row, {@link
 * dev.o2v.spark.Object2VecPairScorer} scores each row's pair. Each executor JVM opens the model
 * once and shares it among its tasks.
 */
package dev.o2v.spark;
