/** Losses of the two heads: softmax cross-entropy and mean squared error. */
package dev.o2v.train.loss;
