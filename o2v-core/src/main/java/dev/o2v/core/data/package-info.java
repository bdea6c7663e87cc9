/**
 * Training and inference data: the JSON Lines record format, channels, validation against a
 * {@link dev.o2v.core.data.DataSchema}, the compact in-memory {@link
 * dev.o2v.core.data.PairDataset} and its {@link dev.o2v.core.data.DatasetSummary}.
 *
 * <p>Reading rules, in one place:
 *
 * <ul>
 *   <li>A channel is one file, or a directory whose {@code *.jsonl} files (not hidden, not in
 *       sub-directories) are read in byte-wise sorted order of their names.
 *   <li>One JSON object per line; lines end with {@code \n} (a {@code \r} before it is
 *       whitespace). Lines holding only whitespace are skipped wherever they occur, so a trailing
 *       blank line or an empty line between records is harmless. Line numbers always count every
 *       physical line, starting at 1.
 *   <li>Fields other than {@code label}, {@code in0} and {@code in1} are ignored; a repeated
 *       known field is an error.
 *   <li>Ids must be JSON integers in {@code [0, vocab_size)} of their side; {@code 3.0} is not an
 *       id. Longer sequences are cut to their first {@code max_seq_len} ids (ids past the cut are
 *       still range-checked); then, where id 0 is padding ({@link dev.o2v.core.data.ZeroIdRule}),
 *       the zeros left are dropped, so a record holds exactly what the network sees.
 *   <li>A training, validation or test record with a side left empty (an empty array, or only
 *       zeros) is not an error: it is discarded and counted ({@link
 *       dev.o2v.core.data.PairDataset#discardedCount()}), as SageMaker discards such pairs. So
 *       are counted the records that hold id 0 at all. Inference records keep empty sides: they
 *       are answered from the zero encoding.
 *   <li>Class labels are integers in {@code [0, num_classes)} (an integral number such as {@code
 *       1.0} is accepted); regression labels are numbers that are finite as 32-bit floats.
 *   <li>Every violation stops reading with a {@link dev.o2v.core.data.DataFormatException} whose
 *       message is {@code FILE:LINE: reason}.
 * </ul>
 *
 * <p>One record object is read by {@link dev.o2v.core.data.RecordObjectParser}, which the HTTP
 * request decoder uses too (with sides kept whole and its own wording of the same checks).
 */
package dev.o2v.core.data;
