/**
 * Optimizers that update DJL parameters in place under no-grad, with per-parameter state that
 * can be saved to and restored from a checkpoint, and lazy row-sparse updates for embedding
 * tables. Formulas and defaults follow MXNet 1.x, the framework SageMaker's Object2Vec was built
 * on.
 */
package dev.o2v.train.optim;
