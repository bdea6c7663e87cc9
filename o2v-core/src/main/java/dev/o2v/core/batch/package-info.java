/**
 * Turning a {@link dev.o2v.core.data.PairDataset} into training steps without copying records:
 * {@link dev.o2v.core.batch.RecordRefs} name a pair by its two source records, {@link
 * dev.o2v.core.batch.NegativeSampler} adds fresh negatives, {@link
 * dev.o2v.core.batch.BatchPlanner} shuffles and (optionally) buckets them into an {@link
 * dev.o2v.core.batch.EpochPlan}, and {@link dev.o2v.core.batch.BatchAssembler} packs one batch
 * into padded primitive arrays ready for one tensor-creation call each.
 */
package dev.o2v.core.batch;
