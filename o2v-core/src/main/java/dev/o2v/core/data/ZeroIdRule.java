package dev.o2v.core.data;

/**
 * What id 0 means to the network, and so which ids of a side the encoders see.
 *
 * <p>This is the one place that turns the ids of a side into what the network sees: first the
 * side is cut to its first {@code max_seq_len} ids (as SageMaker cuts), then, under {@link
 * #PADDING}, every id 0 left is dropped. The encoders then treat a dropped zero exactly like a
 * padding position, through the same length masking, and a side with nothing left has length 0
 * and encodes to the zero vector. The data reader applies it to every line it reads (training,
 * validation, test, evaluation and batch-inference files) and the inference runner to every
 * request, so all of them agree. Applying it twice with the same length changes nothing.
 */
public enum ZeroIdRule {
  /** Id 0 is padding, as in SageMaker: dropped after truncation (model format 2 and later). */
  PADDING,
  /** Id 0 is an ordinary token (model format 1, written before id 0 became padding). */
  TOKEN;

  /**
   * Applies the rule in place: keeps {@code ids[0 .. min(length, maxLen))} and, under {@link
   * #PADDING}, moves the non-zero ones to the front in order.
   *
   * @return how many leading ids of {@code ids} the network sees
   */
  public int applyInPlace(int[] ids, int length, int maxLen) {
    // Safe over itself: each kept id moves to an index no larger than its own.
    return copyVisible(ids, length, maxLen, ids, 0);
  }

  /**
   * Copies the ids the network sees of {@code ids[0 .. length)} into {@code dest} from {@code
   * destPos}.
   *
   * @return how many ids were copied ({@link #visibleLength})
   */
  public int copyVisible(int[] ids, int length, int maxLen, int[] dest, int destPos) {
    int cut = Math.min(length, maxLen);
    if (this == TOKEN) {
      System.arraycopy(ids, 0, dest, destPos, cut);
      return cut;
    }
    int kept = 0;
    for (int i = 0; i < cut; i++) {
      if (ids[i] != 0) {
        dest[destPos + kept++] = ids[i];
      }
    }
    return kept;
  }

  /**
   * How many ids of {@code ids[0 .. length)} the network sees when the side is cut to {@code
   * maxLen}.
   */
  public int visibleLength(int[] ids, int length, int maxLen) {
    int cut = Math.min(length, maxLen);
    if (this == TOKEN) {
      return cut;
    }
    int kept = 0;
    for (int i = 0; i < cut; i++) {
      if (ids[i] != 0) {
        kept++;
      }
    }
    return kept;
  }

  /** True when {@code ids[0 .. length)} holds id 0. */
  public static boolean containsZero(int[] ids, int length) {
    for (int i = 0; i < length; i++) {
      if (ids[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
