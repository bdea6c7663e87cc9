package dev.o2v.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenMpWaitPolicyTest {

  @Test
  void aShortSpinIsSetWhenTheEnvironmentSaysNothingAndOpenMpIsNotLoaded() {
    assertTrue(OpenMpWaitPolicy.shouldSet(Map.of("PATH", "/usr/bin"), false));
  }

  @Test
  void aPolicyOrSpinCountOfTheUsersOwnIsKept() {
    assertFalse(OpenMpWaitPolicy.shouldSet(Map.of("OMP_WAIT_POLICY", "ACTIVE"), false));
    assertFalse(OpenMpWaitPolicy.shouldSet(Map.of("GOMP_SPINCOUNT", "10000"), false));
  }

  @Test
  void nothingIsSetOnceOpenMpIsLoaded() {
    assertFalse(OpenMpWaitPolicy.shouldSet(Map.of(), true));
  }
}
