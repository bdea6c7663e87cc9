/**
 * Raw text → token ids for a trained model: the tokenizers a tokenizer description names (the
 * word tokenizer, or a Hugging Face {@code tokenizer.json} through DJL's native binding) and the
 * text encoder that applies tokenizer and vocabulary.
 */
package dev.o2v.inference.text;
