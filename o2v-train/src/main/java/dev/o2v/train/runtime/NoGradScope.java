package dev.o2v.train.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch grad mode off on the current thread and restores the previous mode on close.
 *
 * <p>Grad mode is thread-local: it is off on the thread that loaded the engine but on for every
 * other thread, and an in-place update of a leaf that requires gradient fails while it is on.
 */
public final class NoGradScope implements AutoCloseable {

  private final boolean wasOn;

  private NoGradScope(boolean wasOn) {
    this.wasOn = wasOn;
  }

  /**
   * Turns grad mode off if it is on; one native call when it is already off. Loads the engine
   * first if nothing has yet, since grad mode lives in its native library.
   */
  public static NoGradScope enter() {
    Engine.getInstance();
    boolean on = JniUtils.isGradMode();
    if (on) {
      JniUtils.setGradMode(false);
    }
    return new NoGradScope(on);
  }

  @Override
  public void close() {
    if (wasOn) {
      JniUtils.setGradMode(true);
    }
  }
}
