package dev.o2v.train.runtime;

import java.util.Locale;

/** What the user asked for with {@code --device}. */
public enum DeviceChoice {
  /** Always the CPU. */
  CPU,
  /** The first CUDA GPU; an error when none is visible. */
  GPU,
  /** The first CUDA GPU when one is visible, else the CPU. */
  AUTO;

  /** Parses {@code cpu|gpu|auto} in any case. */
  public static DeviceChoice parse(String value) {
    for (DeviceChoice choice : values()) {
      if (choice.name().equalsIgnoreCase(value.trim())) {
        return choice;
      }
    }
    throw new IllegalArgumentException(
        String.format(Locale.ROOT, "--device must be one of cpu, gpu, auto, found '%s'", value));
  }
}
