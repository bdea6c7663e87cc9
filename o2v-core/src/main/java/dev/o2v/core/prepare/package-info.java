/**
 * Turns tables of text pairs (TSV, CSV, JSON Lines) into Object2Vec training data: tokenization,
 * vocabularies, id records, seeded splits, trimmed pretrained vectors and a starting
 * hyperparameter file.
 *
 * <p>{@link dev.o2v.core.prepare.Preparer} runs the whole job; the other classes are its steps.
 * Everything here is pure Java; a Hugging Face tokenizer is plugged in from outside through
 * {@link dev.o2v.core.prepare.Tokenizer}.
 */
package dev.o2v.core.prepare;
