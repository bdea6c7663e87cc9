package dev.o2v.encoders.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.o2v.encoders.TokenEmbedding;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link PooledEmbeddingEncoder#meanOfIds} against the masked mean of looked-up token vectors. */
@Tag("engine")
class PooledMeanOfIdsTest {

  private static final int VOCAB = 50;
  private static final int DIM = 8;

  /** The encoder's mean through the engine-free token matrices ({@code COPIED_COO}). */
  private static NDArray meanOfIds(NDArray table, NDArray ids, NDArray lengths) {
    return PooledEmbeddingEncoder.meanOfIds(table, ids, lengths, PooledEmbeddingEncoder.COPIED_COO);
  }

  @Test
  void equalsTheMaskedMeanOfTheLookedUpVectors() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      NDArray table = manager.randomNormal(new Shape(VOCAB, DIM));
      SplittableRandom random = new SplittableRandom(3);
      int records = 40;
      int width = 9;
      int[] ids = new int[records * width];
      int[] lengths = new int[records];
      for (int r = 0; r < records; r++) {
        lengths[r] = random.nextInt(width + 1); // 0 .. width: empty records too
        for (int p = 0; p < width; p++) {
          ids[r * width + p] = random.nextInt(VOCAB); // padding holds real ids here
        }
      }
      NDArray idArray = manager.create(ids, new Shape(records, width));
      NDArray lengthArray = manager.create(lengths);
      float[] expected = SequenceMasks.maskedMean(
          TokenEmbedding.gather(table, idArray), lengthArray).toFloatArray();
      float[] actual = meanOfIds(table, idArray, lengthArray).toFloatArray();
      assertArrayEquals(expected, actual, 1e-6f);
      // The int64 form gives the same numbers.
      float[] fromLongs = meanOfIds(
          table, idArray.toType(ai.djl.ndarray.types.DataType.INT64, false), lengthArray)
          .toFloatArray();
      assertArrayEquals(actual, fromLongs, 0f);
    }
  }

  @Test
  void anEmptyRecordIsExactlyZeroAndRepeatedTokensCountEachTime() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.create(new float[] {0, 0, 1, 2, 10, 20}, new Shape(3, 2));
      NDArray ids = manager.create(new int[] {1, 1, 2, 0, 2, 0}, new Shape(2, 3));
      float[] mean = meanOfIds(table, ids, manager.create(new int[] {3, 0}))
          .toFloatArray();
      // (1 + 1 + 10) / 3 and (2 + 2 + 20) / 3; the empty record is 0.
      assertArrayEquals(new float[] {4f, 8f, 0f, 0f}, mean, 1e-6f, Arrays.toString(mean));
      assertEquals(0, Float.floatToRawIntBits(mean[2]), "no negative zero");
    }
  }

  @Test
  void paddingIsNeverLookedUpSoItMayHoldAnyNumber() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray ids = manager.create(new int[] {1, -5, 99, 0, 1, 7}, new Shape(2, 3));
      float[] mean = meanOfIds(table, ids, manager.create(new int[] {1, 2}))
          .toFloatArray();
      assertArrayEquals(new float[] {3f, 4f, 2f, 3f}, mean, 1e-6f, Arrays.toString(mean));
    }
  }

  @Test
  void aRealTokenOutsideTheTableIsNamed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.zeros(new Shape(4, 2));
      NDArray ids = manager.create(new int[] {1, 2, 3, 4}, new Shape(2, 2));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> meanOfIds(table, ids, manager.create(new int[] {2, 2})));
      assertTrue(e.getMessage().contains("token id 4 (record 1, position 1)"), e.getMessage());
      assertTrue(e.getMessage().contains("4 rows"), e.getMessage());
    }
  }

  @Test
  void aLengthBeyondTheWidthReadsEveryPositionAndDividesByTheLength() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray table = manager.create(new float[] {2, 4, 6, 8}, new Shape(2, 2));
      NDArray ids = manager.create(new int[] {0, 1}, new Shape(1, 2));
      NDArray lengths = manager.create(new int[] {4});
      float[] expected = SequenceMasks.maskedMean(TokenEmbedding.gather(table, ids), lengths)
          .toFloatArray();
      float[] mean = meanOfIds(table, ids, lengths).toFloatArray();
      assertArrayEquals(expected, mean, 1e-6f, Arrays.toString(mean));
    }
  }

  @Test
  void theTokenMatrixKeepsItsIdsWhenTheJdkFreesDirectBuffers() throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager()) {
      SplittableRandom random = new SplittableRandom(5);
      int records = 64;
      int width = 20;
      int[] ids = new int[records * width];
      Arrays.setAll(ids, i -> 1 + random.nextInt(VOCAB - 1));
      int[] lengths = new int[records];
      Arrays.fill(lengths, width);
      NDArray counts = PooledEmbeddingEncoder.tokenCounts(manager.create(ids,
          new Shape(records, width)), manager.create(lengths), VOCAB,
          PooledEmbeddingEncoder.COPIED_COO);
      float[] expected = new float[records * VOCAB];
      for (int i = 0; i < ids.length; i++) {
        expected[(i / width) * VOCAB + ids[i]] += 1f;
      }
      // Collections free the direct buffers nothing reaches; new ones of the same size, filled
      // with other bytes, then take their memory.
      List<ByteBuffer> filler = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        System.gc();
        Thread.sleep(20);
        for (int i = 0; i < 50; i++) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(2 * ids.length * Long.BYTES);
          while (buffer.hasRemaining()) {
            buffer.put((byte) 0x7f);
          }
          filler.add(buffer);
        }
      }
      try (NDArray dense = counts.toDense()) {
        assertArrayEquals(expected, dense.toFloatArray());
      }
    }
  }
}
