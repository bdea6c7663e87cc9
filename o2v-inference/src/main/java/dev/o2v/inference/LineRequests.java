package dev.o2v.inference;

import dev.o2v.core.data.DataFormatException;
import dev.o2v.core.data.PairRecord;
import dev.o2v.inference.InferenceInstance;

/**
 * Turns a parsed input line into the request it stands for: in predict mode a line with both
 * sides is a pair to score and a line with one side asks for that side's embedding; in embed mode
 * every line asks for one embedding.
 *
 * <p>Embed mode with a required side embeds that side of every line and rejects lines without it.
 * Without a required side, a one-sided line embeds the side it has and a pair embeds the default
 * side.
 */
public final class LineRequests {

  private final boolean embedOnly;
  private final int side;
  private final boolean sideRequired;

  private LineRequests(boolean embedOnly, int side, boolean sideRequired) {
    this.embedOnly = embedOnly;
    this.side = side;
    this.sideRequired = sideRequired;
  }

  /** The mode follows each line: scores for pairs, embeddings for single sides. */
  public static LineRequests predict() {
    return new LineRequests(false, 0, false);
  }

  /**
   * Every line asks for one embedding.
   *
   * @param side the side to embed from a line with both sides (0 or 1)
   * @param required when true, every line must carry {@code side} and only it is embedded
   */
  public static LineRequests embed(int side, boolean required) {
    return new LineRequests(true, InferenceInstance.checkSide(side), required);
  }

  /** True when every line asks for an embedding (so every result has {@code enc_dim} values). */
  public boolean embedsOnly() {
    return embedOnly;
  }

  /**
   * The request of one line.
   *
   * @throws DataFormatException naming the line when it lacks the required side
   */
  public InferenceInstance toRecord(PairRecord line) {
    if (!embedOnly) {
      return new InferenceInstance(
          line.has(0) ? line.ids(0) : null, line.has(1) ? line.ids(1) : null);
    }
    if (line.has(side)) {
      return InferenceInstance.single(side, line.ids(side));
    }
    if (sideRequired) {
      String field = side == 0 ? "in0" : "in1";
      throw new DataFormatException(
          line.source(), line.line(), field + " is missing but --side " + field + " asks for it");
    }
    int other = 1 - side;
    return InferenceInstance.single(other, line.ids(other));
  }
}
