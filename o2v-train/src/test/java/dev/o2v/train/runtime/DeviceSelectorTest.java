package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

  @Test
  void cpuIsAlwaysTheCpu() {
    assertEquals(Device.cpu(), new DeviceSelector(() -> 2).select(DeviceChoice.CPU));
  }

  @Test
  void gpuPicksTheFirstGpuWhenOneIsVisible() {
    assertEquals(Device.gpu(0), new DeviceSelector(() -> 1).select(DeviceChoice.GPU));
  }

  @Test
  void gpuFailsClearlyWhenNoneIsVisible() {
    DeviceSelector.NoGpuException e =
        assertThrows(
            DeviceSelector.NoGpuException.class,
            () -> new DeviceSelector(() -> 0).select(DeviceChoice.GPU));
    assertTrue(e.getMessage().contains("no CUDA GPU"), e.getMessage());
  }

  @Test
  void autoFallsBackToCpuWithoutGpu() {
    assertEquals(Device.cpu(), new DeviceSelector(() -> 0).select(DeviceChoice.AUTO));
    assertEquals(Device.gpu(0), new DeviceSelector(() -> 3).select(DeviceChoice.AUTO));
  }

  @Test
  void parsingAcceptsAnyCaseAndRejectsOthers() {
    assertEquals(DeviceChoice.GPU, DeviceChoice.parse("GPU"));
    assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" auto "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    assertTrue(e.getMessage().contains("found 'tpu'"), e.getMessage());
  }

  @Tag("engine")
  @Test
  void theRealEngineAgreesWithItsGpuCount() {
    DeviceSelector engine = DeviceSelector.forEngine();
    int gpus = ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount();
    if (gpus == 0) {
      assertEquals(Device.cpu(), engine.select(DeviceChoice.AUTO));
      assertThrows(DeviceSelector.NoGpuException.class, () -> engine.select(DeviceChoice.GPU));
    } else {
      assertEquals(Device.gpu(0), engine.select(DeviceChoice.AUTO));
    }
  }
}
