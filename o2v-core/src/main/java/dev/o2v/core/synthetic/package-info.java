/**
 * Seeded generators of synthetic pair data for examples, tests and benchmarks: a learnable
 * topic-matching task ({@link dev.o2v.core.synthetic.SyntheticPairTask}), low-rank ratings shaped
 * like MovieLens 100k ({@link dev.o2v.core.synthetic.MovieLensLikeRatings}), a JSON Lines
 * {@link dev.o2v.core.synthetic.JsonlWriter} and the quickstart example generator {@link
 * dev.o2v.core.synthetic.GenerateExamples}.
 */
package dev.o2v.core.synthetic;
