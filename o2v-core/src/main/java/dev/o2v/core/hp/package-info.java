/**
 * Object2Vec hyperparameters: the declarative catalog of every key, the parser and validator that
 * turn a SageMaker-style string map into an immutable {@link dev.o2v.core.hp.Hyperparameters}, the
 * canonical writer, and the help and documentation renderers.
 */
package dev.o2v.core.hp;
