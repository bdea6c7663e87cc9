/**
 * The Object2Vec network as DJL blocks: token tables with pretrained rows, comparator, MLP, output
 * head, the two-input {@link dev.o2v.encoders.Object2VecBlock} and its {@link
 * dev.o2v.encoders.ModelSummary}. The encoders themselves live in {@code dev.o2v.encoders.encoder}.
 */
package dev.o2v.encoders;
