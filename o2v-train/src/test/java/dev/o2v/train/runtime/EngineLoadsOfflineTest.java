package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class EngineLoadsOfflineTest {

  @Test
  void runtimeClasspathLoadsPytorch271Offline() {
    assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run offline");
    assertEquals("PyTorch", Engine.getInstance().getEngineName(), "default engine");
    assertEquals("2.7.1", Engine.getEngine("PyTorch").getVersion(), "libtorch version");
  }
}
