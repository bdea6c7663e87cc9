package dev.o2v.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What an executor needs to find and open a model: where it is, the Hadoop settings to read it
 * with, and the options to open it with. Travels with each task.
 */
record ModelSpec(String location, Map<String, String> hadoopSettings, int threads, int batchRows)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The key under which an executor JVM keeps the opened model. */
  String cacheKey() {
    return location + "|threads=" + threads + "|rows=" + batchRows;
  }
}
