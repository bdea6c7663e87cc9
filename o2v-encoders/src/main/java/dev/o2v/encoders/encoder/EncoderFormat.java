package dev.o2v.encoders.encoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Locale;

/** Shared checks for the encoders' saved parameter format and their input shapes. */
final class EncoderFormat {

  private EncoderFormat() {}

  /** Rejects a saved format version this build does not read. */
  static void checkVersion(String block, byte found, byte expected) throws MalformedModelException {
    if (found != expected) {
      throw new MalformedModelException(
          String.format(
              Locale.ROOT,
              "%s parameters must have format version %d, found %d",
              block,
              expected,
              found));
    }
  }

  /** Reads one saved int setting and rejects it when it differs from this block's setting. */
  static void checkSetting(String block, String name, int expected, DataInputStream is)
      throws IOException, MalformedModelException {
    int found = is.readInt();
    if (found != expected) {
      throw new MalformedModelException(
          String.format(
              Locale.ROOT,
              "%s parameters were saved with %s=%d, this block has %s=%d",
              block,
              name,
              found,
              name,
              expected));
    }
  }

  /**
   * Validates the encoder input shapes {@code [B, T, D]} and {@code [B]}.
   *
   * @return the embedding width {@code D}
   */
  static long checkInputShapes(String block, Shape... inputShapes) {
    if (inputShapes.length != 2
        || inputShapes[0].dimension() != 3
        || inputShapes[1].dimension() != 1
        || inputShapes[0].get(0) != inputShapes[1].get(0)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s input must be (embedded [B, T, D], lengths [B]), found %s",
              block,
              java.util.Arrays.toString(inputShapes)));
    }
    return inputShapes[0].get(2);
  }

  /** Rejects a non-positive size setting. */
  static int positive(String block, String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s %s must be >= 1, found %d", block, name, value));
    }
    return value;
  }

  /**
   * Rejects a dropout rate outside [0, 1]. A rate of 1 is valid (the engine's dropout then zeroes
   * every activation in training), as the hyperparameter's documented range includes it.
   */
  static float dropoutRate(String block, float rate) {
    if (!(rate >= 0f && rate <= 1f)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s dropout must be in [0, 1], found %s", block, rate));
    }
    return rate;
  }
}
