/** Deciding when to stop training: early stopping on the validation (or training) loss. */
package dev.o2v.train.stopping;
