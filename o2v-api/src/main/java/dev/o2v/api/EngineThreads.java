package dev.o2v.api;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Sets libtorch's intra-op thread count, whether or not the engine has started yet. */
final class EngineThreads {

  /** The system property the PyTorch engine reads when it starts. */
  private static final String PROPERTY = "ai.djl.pytorch.num_threads";

  private EngineThreads() {}

  /** Sets the process-wide count to {@code threads}. */
  static synchronized void set(int threads) {
    // The property covers an engine that starts now; the native call one that already ran.
    System.setProperty(PROPERTY, Integer.toString(threads));
    Engine.getEngine("PyTorch");
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }
}
