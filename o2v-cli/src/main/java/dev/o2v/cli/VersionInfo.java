package dev.o2v.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine.IVersionProvider;

/** Prints the versions of o2v, DJL and the PyTorch native library it runs on. */
final class VersionInfo implements IVersionProvider {

  /** The o2v version from the jar manifest, or "dev" when run from classes. */
  static String o2vVersion() {
    String version = VersionInfo.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public String[] getVersion() {
    String pytorch;
    try {
      pytorch = Engine.getEngine("PyTorch").getVersion();
    } catch (RuntimeException e) {
      pytorch = "unavailable (" + e.getMessage() + ")";
    }
    return new String[] {
      "o2v " + o2vVersion(),
      "DJL " + Engine.getDjlVersion(),
      "PyTorch " + pytorch,
      "Java " + System.getProperty("java.version")
    };
  }
}
