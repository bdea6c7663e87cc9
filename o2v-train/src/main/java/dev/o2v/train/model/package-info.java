/**
 * The model directory: manifest, hyperparameters, parameters, vocabularies, metrics and
 * checkpoints, each written atomically.
 */
package dev.o2v.train.model;
