package dev.o2v.train.runtime;

import ai.djl.engine.Engine;

/** The versions a model directory records: o2v's, DJL's and the PyTorch native library's. */
public record Versions(String o2v, String djl, String pytorch) {

  /** The versions of this process (loads the PyTorch engine). */
  public static Versions current() {
    String o2v = Versions.class.getPackage().getImplementationVersion();
    return new Versions(
        o2v == null ? "dev" : o2v, Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion());
  }
}
