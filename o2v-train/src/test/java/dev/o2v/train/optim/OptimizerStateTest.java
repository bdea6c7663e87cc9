package dev.o2v.train.optim;

import static dev.o2v.train.optim.EngineFixtures.parameter;
import static dev.o2v.train.optim.EngineFixtures.setGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.train.io.ChunkedArrayIO;
import dev.o2v.train.io.NonZeroRowsArrayIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("engine")
class OptimizerStateTest {

  private static final double[] INITIAL = {0.5, -1.25, 2.0, 0.0, -0.3, 0.8};
  private static final double[][] GRADS = {
    {0.2, -0.4, 1.5, 0.0, -0.05, 0.3},
    {-0.1, 0.3, 0.9, 0.25, 0.0, -0.2},
    {0.05, -0.6, -1.2, 0.1, 0.7, 0.4}
  };

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void aResumedOptimizerContinuesBitIdentically(OptimizerKind kind) throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer original = OptimizerFactory.create(kind, 0.1, 0.05);
        TrainingOptimizer resumed = OptimizerFactory.create(kind, 0.1, 0.05)) {
      Parameter w = parameter(manager, "layer_weight", INITIAL);
      ParameterList params = new ParameterList();
      params.add("layer_weight", w);
      NDArray table = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
      for (int step = 0; step < 2; step++) {
        setGradient(w.getArray(), GRADS[step]);
        original.step(params);
        if (kind.supportsRowSparse()) {
          rowStep(original, table, manager, step);
        }
      }
      byte[] saved = save(original);

      try (NDManager fresh = NDManager.newBaseManager()) {
        resumed.loadState(new DataInputStream(new ByteArrayInputStream(saved)), fresh);
        Parameter w2 = parameter(manager, "layer_weight",
            EngineFixtures.toDoubles(w.getArray().toFloatArray()));
        ParameterList params2 = new ParameterList();
        params2.add("layer_weight", w2);
        NDArray table2 = table.duplicate();
        assertEquals(2, resumed.updateCount("layer_weight"), "restored counter");

        setGradient(w.getArray(), GRADS[2]);
        original.step(params);
        setGradient(w2.getArray(), GRADS[2]);
        resumed.step(params2);
        assertArrayEquals(w.getArray().toFloatArray(), w2.getArray().toFloatArray(), "weights");
        if (kind.supportsRowSparse()) {
          rowStep(original, table, manager, 2);
          rowStep(resumed, table2, manager, 2);
          assertArrayEquals(table.toFloatArray(), table2.toFloatArray(), "table rows");
        }
        assertArrayEquals(save(original), save(resumed), "state bytes after the extra step");
      }
    }
  }

  @Test
  void stateInTheEarlierWholeArrayFormatStillLoads() throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer original = OptimizerFactory.create(OptimizerKind.ADAM, 0.1, 0);
        TrainingOptimizer resumed = OptimizerFactory.create(OptimizerKind.ADAM, 0.1, 0)) {
      NDArray table = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
      rowStep(original, table, manager, 0); // rows 0 and 2: row 1's moments stay zero
      byte[] saved = save(original);
      byte[] earlier = asWholeArrays(saved, manager);
      assertTrue(earlier.length > saved.length, "the earlier format writes the zero rows");
      resumed.loadState(new DataInputStream(new ByteArrayInputStream(earlier)), manager);
      assertArrayEquals(saved, save(resumed), "the same state, written in the current format");
    }
  }

  /** {@code saved} (one table's state, current format) as version 1 wrote it. */
  private static byte[] asWholeArrays(byte[] saved, NDManager manager) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(in.readInt()); // magic
      assertEquals(StatefulOptimizer.STATE_VERSION, in.readInt(), "current version");
      out.writeInt(StatefulOptimizer.STATE_VERSION_WHOLE_ARRAYS);
      out.writeUTF(in.readUTF());
      int counts = in.readInt();
      out.writeInt(counts);
      for (int i = 0; i < counts; i++) {
        out.writeUTF(in.readUTF());
        out.writeLong(in.readLong());
      }
      int states = in.readInt();
      out.writeInt(states);
      for (int i = 0; i < states; i++) {
        out.writeUTF(in.readUTF());
        int slots = in.readInt();
        out.writeInt(slots);
        for (int s = 0; s < slots; s++) {
          ChunkedArrayIO.write(out, NonZeroRowsArrayIO.read(in, manager));
        }
      }
    }
    assertEquals(-1, in.read(), "the whole state was converted");
    return bytes.toByteArray();
  }

  @Test
  void anUnknownStateVersionIsRejected() throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer optimizer = OptimizerFactory.create(OptimizerKind.ADAM, 0.1, 0)) {
      byte[] saved = save(optimizer);
      ByteBuffer.wrap(saved).putInt(4, 99);
      IOException e = assertThrows(IOException.class,
          () -> optimizer.loadState(new DataInputStream(new ByteArrayInputStream(saved)), manager));
      assertTrue(e.getMessage().contains("version 99"), "message names the version: " + e);
    }
  }

  @Test
  void stateOfAnotherOptimizerIsRejected() throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingOptimizer adam = OptimizerFactory.create(OptimizerKind.ADAM, 0.1, 0);
        TrainingOptimizer sgd = OptimizerFactory.create(OptimizerKind.SGD, 0.1, 0)) {
      byte[] saved = save(adam);
      IOException e = assertThrows(IOException.class,
          () -> sgd.loadState(new DataInputStream(new ByteArrayInputStream(saved)), manager));
      assertTrue(e.getMessage().contains("'adam'"), "message names the writer: " + e);
    }
  }

  private static void rowStep(TrainingOptimizer optimizer, NDArray table, NDManager manager,
      int step) {
    try (NDArray ids = manager.create(new long[] {step % 3, 2});
        NDArray grads =
            manager.create(new float[] {0.5f, -1f, 0.25f * step, 2f}, new Shape(2, 2))) {
      optimizer.updateRows("embedding", table, ids, grads);
    }
  }

  private static byte[] save(TrainingOptimizer optimizer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      optimizer.saveState(out);
    }
    return bytes.toByteArray();
  }
}
