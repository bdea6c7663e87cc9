package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.stateBytes;
import static dev.o2v.train.optim.EngineFixtures.uniformValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Adam's dense table update with the rows the batch did not read put off until they are read
 * ({@link TrainingOptimizer#deferRowGradient}) against the update of every row at every step
 * ({@link TrainingOptimizer#applyRowGradient}): the rows a step is about to read, once settled,
 * and after {@link TrainingOptimizer#settle} the whole table, its moments and the update count
 * are the same bit for bit. The table is wider than the kernel's blocks and has more rows than
 * one thread's share, so spans of several blocks, runs of rows and two threads all occur.
 */
@Tag("engine")
class DeferredRowDecayTest {

  private static final int VOCAB = 700;
  private static final int DIM = 520;

  @Test
  void rowsPutOffAndSettledEqualTheUpdateOfEveryRowAtEveryStep() throws IOException {
    SplittableRandom random = new SplittableRandom(21);
    float[] initial = uniformValues(random, VOCAB * DIM);
    long[][] stepRows = {
      distinctRows(random, 40), {0, 1, 2, VOCAB - 1}, {}, distinctRows(random, 300),
      distinctRows(random, 5), {3}, distinctRows(random, 60), distinctRows(random, 60),
      {0, 1, 2, VOCAB - 1}, distinctRows(random, 120), {}, distinctRows(random, 2)
    };
    try (NDManager manager = NDManager.newBaseManager();
        Adam everyStep = new Adam(0.02, 0);
        Adam putOff = new Adam(0.02, 0)) {
      NDArray eagerTable = manager.create(initial, new Shape(VOCAB, DIM));
      NDArray deferredTable = manager.create(initial, new Shape(VOCAB, DIM));
      for (int step = 0; step < stepRows.length; step++) {
        long[] rows = stepRows[step];
        // What a training step does: bring the rows it reads up to date, compare, update.
        putOff.settleRows("t", rows);
        for (long row : rows) {
          assertArrayEquals(rowOf(eagerTable, row), rowOf(deferredTable, row),
              "row " + row + " read by step " + (step + 1));
        }
        NDArray ids = manager.create(rows);
        NDArray grads = manager.create(uniformValues(random, rows.length * DIM),
            new Shape(rows.length, DIM));
        everyStep.applyRowGradient("t", eagerTable, ids, grads, null);
        assertTrue(putOff.deferRowGradient("t", deferredTable, ids, grads));
      }
      assertEquals(stepRows.length, putOff.updateCount("t"));
      assertThrows(IllegalStateException.class, () -> stateBytes(putOff),
          "state saved while behind");
      putOff.settle();
      assertArrayEquals(eagerTable.toFloatArray(), deferredTable.toFloatArray(), "table");
      assertArrayEquals(stateBytes(everyStep), stateBytes(putOff), "moments and counts");
    }
  }

  @Test
  void anUpdateThatPutsNothingOffFirstSettlesTheTable() {
    SplittableRandom random = new SplittableRandom(22);
    int vocab = 30;
    int dim = 4;
    float[] initial = uniformValues(random, vocab * dim);
    try (NDManager manager = NDManager.newBaseManager();
        Adam everyStep = new Adam(0.02, 0);
        Adam mixed = new Adam(0.02, 0)) {
      NDArray eagerTable = manager.create(initial, new Shape(vocab, dim));
      NDArray mixedTable = manager.create(initial, new Shape(vocab, dim));
      for (int step = 0; step < 6; step++) {
        NDArray ids = manager.create(new long[] {step, 10 + step});
        NDArray grads = manager.create(uniformValues(random, 2 * dim), new Shape(2, dim));
        everyStep.applyRowGradient("t", eagerTable, ids, grads, null);
        if (step % 3 == 2) {
          mixed.applyRowGradient("t", mixedTable, ids, grads, null);
        } else {
          assertTrue(mixed.deferRowGradient("t", mixedTable, ids, grads));
        }
      }
      mixed.settle();
      assertArrayEquals(eagerTable.toFloatArray(), mixedTable.toFloatArray());
    }
  }

  @Test
  void weightDecayIsNotPutOff() {
    try (NDManager manager = NDManager.newBaseManager();
        Adam adam = new Adam(0.02, 0.1)) {
      NDArray table = manager.ones(new Shape(5, 2));
      assertFalse(adam.deferRowGradient("t", table, manager.create(new long[] {1}),
          manager.ones(new Shape(1, 2))));
      assertEquals(0, adam.updateCount("t"));
      assertArrayEquals(manager.ones(new Shape(5, 2)).toFloatArray(), table.toFloatArray());
    }
  }

  private static float[] rowOf(NDArray table, long row) {
    try (NDArray copy = table.get(new NDIndex("{}", row))) {
      return copy.toFloatArray();
    }
  }

  private static long[] distinctRows(SplittableRandom random, int count) {
    return random.longs(0, VOCAB).distinct().limit(count).toArray();
  }
}
