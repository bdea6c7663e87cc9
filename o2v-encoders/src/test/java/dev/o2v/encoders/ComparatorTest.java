package dev.o2v.encoders;

import static dev.o2v.core.hp.ComparatorOp.ABS_DIFF;
import static dev.o2v.core.hp.ComparatorOp.CONCAT;
import static dev.o2v.core.hp.ComparatorOp.HADAMARD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.core.hp.ComparatorOp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class ComparatorTest {

  private NDManager manager;
  private NDArray e0;
  private NDArray e1;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    e0 = manager.create(new float[] {1, -2, 3, 0, 0.5f, 2}, new Shape(2, 3));
    e1 = manager.create(new float[] {4, 5, -6, 1, 0.5f, -1}, new Shape(2, 3));
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private float[] compare(ComparatorOp... ops) {
    NDArray out = new Comparator(List.of(ops)).compare(e0, e1);
    assertEquals(2, out.getShape().get(0), "batch of " + out.getShape());
    return out.toFloatArray();
  }

  @Test
  void hadamardMultipliesElementwise() {
    assertArrayEquals(new float[] {4, -10, -18, 0, 0.25f, -2}, compare(HADAMARD), 0f);
  }

  @Test
  void concatPutsE0BeforeE1() {
    float[] expected = {1, -2, 3, 4, 5, -6, 0, 0.5f, 2, 1, 0.5f, -1};
    assertArrayEquals(expected, compare(CONCAT), 0f);
  }

  @Test
  void absDiffIsTheAbsoluteDifference() {
    assertArrayEquals(new float[] {3, 7, 9, 1, 0, 3}, compare(ABS_DIFF), 0f);
  }

  @Test
  void operatorsAreConcatenatedInListOrder() {
    float[] expected = {3, 7, 9, 4, -10, -18, 1, 0, 3, 0, 0.25f, -2};
    float[] actual = compare(ABS_DIFF, HADAMARD);
    assertArrayEquals(expected, actual, 0f, () -> Arrays.toString(actual));
  }

  @Test
  void defaultListHasWidthFourTimesEncDim() {
    Comparator comparator = new Comparator(List.of(HADAMARD, CONCAT, ABS_DIFF));
    assertEquals(12, comparator.width(3), "width for d=3");
    NDList out = comparator.forward(new ParameterStore(manager, false), new NDList(e0, e1), false);
    assertEquals(new Shape(2, 12), out.head().getShape(), "forward shape");
    assertEquals(
        new Shape(2, 12),
        comparator.getOutputShapes(new Shape[] {new Shape(2, 3), new Shape(2, 3)})[0],
        "declared shape");
  }

  @Test
  void rejectsEmptyAndDuplicateLists() {
    assertThrows(IllegalArgumentException.class, () -> new Comparator(List.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Comparator(List.of(CONCAT, HADAMARD, CONCAT)));
    assertEquals("comparator list must not repeat an operator, found concat twice", e.getMessage());
  }
}
