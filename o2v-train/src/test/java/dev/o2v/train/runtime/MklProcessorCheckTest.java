package dev.o2v.train.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.train.runtime.MklProcessorCheck.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class MklProcessorCheckTest {

  @Test
  void readsTheCacheOffsetFromTheCachedLoadTestAndBranch() {
    // mov eax, [rip + 0x0982b4ba]; test eax, eax; js +1
    byte[] code = {(byte) 0x8b, 0x05, (byte) 0xba, (byte) 0xb4, (byte) 0x82, 0x09, (byte) 0x85,
        (byte) 0xc0, 0x78};
    assertEquals(OptionalLong.of(6L + 0x0982b4ba), MklProcessorCheck.cacheDisplacement(code));
  }

  @Test
  void aNegativeDisplacementPointsBeforeTheFunction() {
    byte[] code = {(byte) 0x8b, 0x05, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0x85, (byte) 0xc0, 0x78};
    assertEquals(OptionalLong.of(6L - 16), MklProcessorCheck.cacheDisplacement(code));
  }

  @Test
  void leavesAnyOtherCodeAlone() {
    // the same load followed by cmp eax, -1 (another function's shape)
    byte[] other = {(byte) 0x8b, 0x05, 0x4e, (byte) 0xb4, (byte) 0x82, 0x09, (byte) 0x83,
        (byte) 0xf8, (byte) 0xff};
    assertTrue(MklProcessorCheck.cacheDisplacement(other).isEmpty());
    assertTrue(MklProcessorCheck.cacheDisplacement(new byte[] {(byte) 0x8b, 0x05}).isEmpty());
    byte[] jumpFirst = {(byte) 0xe9, 0, 0, 0, 0, 0, 0, 0, 0};
    assertTrue(MklProcessorCheck.cacheDisplacement(jumpFirst).isEmpty());
  }

  @Test
  void appliesOnlyToAmdProcessorsUnderLinuxOnX86() {
    assertTrue(MklProcessorCheck.applies("Linux", "amd64", "AuthenticAMD"));
    assertFalse(MklProcessorCheck.applies("Linux", "amd64", "GenuineIntel"));
    assertFalse(MklProcessorCheck.applies("Linux", "amd64", "HygonGenuine"));
    assertFalse(MklProcessorCheck.applies("Linux", "aarch64", "AuthenticAMD"));
    assertFalse(MklProcessorCheck.applies("Mac OS X", "x86_64", "AuthenticAMD"));
    assertFalse(MklProcessorCheck.applies("Linux", "amd64", ""));
  }

  @Test
  void findsTheMappedLibraryByItsFileName() {
    List<String> maps =
        List.of(
            "7f00-7f10 r--p 00000000 08:01 12 /usr/lib/libc.so.6",
            "7f20-7f30 r--p 00000000 08:01 13 /home/u/.djl.ai/pytorch/2.7.1/libtorch_cpu.so",
            "7f40-7f50 r--p 00000000 08:01 14 /home/u/.djl.ai/pytorch/2.7.1/libtorch.so");
    assertEquals(
        Optional.of("/home/u/.djl.ai/pytorch/2.7.1/libtorch_cpu.so"),
        MklProcessorCheck.loadedLibrary(maps));
    assertEquals(Optional.empty(), MklProcessorCheck.loadedLibrary(List.of("7f00-7f10 [heap]")));
  }

  @Test
  @Tag("engine")
  void recognisesTheShippedLibraryAndProductsStayExact() throws Exception {
    Outcome outcome = MklProcessorCheck.beforeFirstMatrixProduct();
    boolean amd =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .anyMatch(line -> line.startsWith("vendor_id") && line.endsWith("AuthenticAMD"));
    if (amd) {
      assertNotEquals(
          Outcome.UNKNOWN_LIBRARY, outcome, "the pinned libtorch's MKL check was not recognised");
      assertNotEquals(Outcome.NOT_APPLICABLE, outcome);
    } else {
      assertEquals(Outcome.NOT_APPLICABLE, outcome);
    }
    assertEquals(outcome, MklProcessorCheck.beforeFirstMatrixProduct(), "decided once");

    int n = 192;
    int k = 300;
    SplittableRandom random = new SplittableRandom(5);
    float[] a = new float[n * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
      b[i] = (float) random.nextDouble(-1, 1);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(a, new Shape(n, k));
      NDArray y = manager.create(b, new Shape(k, n));
      float[] product = x.matMul(y).toFloatArray();
      double worst = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double exact = 0;
          double magnitude = 0;
          for (int p = 0; p < k; p++) {
            exact += (double) a[i * k + p] * b[p * n + j];
            magnitude += Math.abs((double) a[i * k + p] * b[p * n + j]);
          }
          worst = Math.max(worst, Math.abs(product[i * n + j] - exact) / magnitude);
        }
      }
      assertTrue(worst < 1e-5, "worst relative error of the product " + worst);
    }
  }
}
