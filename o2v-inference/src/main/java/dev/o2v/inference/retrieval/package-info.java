/**
 * Judging and using embeddings as their users do: exact retrieval ranks and metrics (hits@k,
 * mean rank, MRR), exact and approximate (HNSW) nearest neighbours, and the NumPy files that
 * carry embeddings between commands.
 *
 * <p>Every cosine here is the dot product of unit vectors computed by {@link
 * dev.o2v.inference.retrieval.UnitVectors#dot}, always in the same order of operands, so two equal
 * vectors score exactly alike and ties are decided by rule, not by rounding.
 */
package dev.o2v.inference.retrieval;
