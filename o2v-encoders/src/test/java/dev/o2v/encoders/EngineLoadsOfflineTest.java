package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class EngineLoadsOfflineTest {

  @Test
  void pytorchEngineLoadsFromMavenJarsWithoutNetwork() {
    assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run offline");
    Engine engine = Engine.getEngine("PyTorch");
    assertEquals("2.7.1", engine.getVersion(), "libtorch version");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
      assertEquals(6f, sum.getFloat(), 0f);
    }
  }
}
