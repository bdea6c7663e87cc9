package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InferenceInstanceTest {

  @Test
  void aPairHasBothSidesAndNoSingleSide() {
    InferenceInstance pair = InferenceInstance.pair(new int[] {1, 2}, new int[] {3});
    assertTrue(pair.isPair());
    assertTrue(pair.has(0) && pair.has(1));
    assertArrayEquals(new int[] {1, 2}, pair.ids(0));
    assertArrayEquals(new int[] {3}, pair.ids(1));
    assertThrows(IllegalStateException.class, pair::singleSide);
  }

  @Test
  void aSingleSideIsTheSideItWasMadeFor() {
    for (int side = 0; side < 2; side++) {
      InferenceInstance single = InferenceInstance.single(side, new int[] {7});
      assertFalse(single.isPair());
      assertEquals(side, single.singleSide());
      assertTrue(single.has(side));
      assertFalse(single.has(1 - side));
      assertNull(single.ids(1 - side));
      assertArrayEquals(new int[] {7}, single.ids(side));
    }
  }

  @Test
  void anEmptySideIsAPresentSideToEncodeAsZeros() {
    InferenceInstance pair = InferenceInstance.pair(new int[0], new int[] {1});
    assertTrue(pair.isPair());
    assertEquals(0, pair.ids(0).length);
    InferenceInstance single = InferenceInstance.single(1, new int[0]);
    assertEquals(1, single.singleSide());
  }

  @Test
  void instancesWithoutASideOrWithAnUnknownSideAreRefused() {
    IllegalArgumentException neither =
        assertThrows(IllegalArgumentException.class, () -> new InferenceInstance(null, null));
    assertEquals("an instance needs in0, in1 or both", neither.getMessage());
    IllegalArgumentException side = assertThrows(IllegalArgumentException.class,
        () -> InferenceInstance.single(2, new int[] {1}));
    assertEquals("side must be 0 or 1, found 2", side.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> InferenceInstance.single(0, new int[] {1}).ids(-1));
  }
}
