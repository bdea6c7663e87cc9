package dev.o2v.api;

import java.util.Locale;

/** One of the two inputs of an Object2Vec model, {@code in0} or {@code in1}. */
public enum Side {
  /** The first input, encoded by {@code enc0}. */
  IN0,
  /** The second input, encoded by {@code enc1}. */
  IN1;

  /**
   * The side a name stands for.
   *
   * @param name {@code in0} or {@code in1} in any case
   * @return the side
   * @throws IllegalArgumentException for any other name
   */
  public static Side parse(String name) {
    for (Side side : values()) {
      if (side.key().equalsIgnoreCase(name.trim())) {
        return side;
      }
    }
    throw new IllegalArgumentException("side must be in0 or in1, found '" + name + "'");
  }

  /**
   * The side's name in data files.
   *
   * @return {@code in0} or {@code in1}
   */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** 0 or 1. */
  int index() {
    return ordinal();
  }
}
