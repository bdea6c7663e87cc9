package dev.o2v.api;

import dev.o2v.train.runtime.DeviceChoice;

/** Where a model runs. */
public enum ComputeDevice {
  /** Always the CPU (the default). */
  CPU(DeviceChoice.CPU),
  /** The first CUDA GPU; opening fails when the engine sees none. */
  GPU(DeviceChoice.GPU),
  /** The first CUDA GPU when one is visible, else the CPU. */
  AUTO(DeviceChoice.AUTO);

  private final DeviceChoice choice;

  ComputeDevice(DeviceChoice choice) {
    this.choice = choice;
  }

  DeviceChoice choice() {
    return choice;
  }
}
