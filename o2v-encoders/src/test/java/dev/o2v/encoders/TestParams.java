package dev.o2v.encoders;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Finds parameters by the readable end of DJL's prefixed names ("01dense0_weight"). */
final class TestParams {

  private TestParams() {}

  static Parameter named(Block block, String suffix) {
    Parameter found = null;
    for (Pair<String, Parameter> entry : block.getParameters()) {
      if (entry.getKey().endsWith(suffix)) {
        if (found != null) {
          throw new IllegalArgumentException("several parameters end with " + suffix);
        }
        found = entry.getValue();
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(
          "no parameter ends with " + suffix + " in " + block.getParameters().keys());
    }
    return found;
  }
}
