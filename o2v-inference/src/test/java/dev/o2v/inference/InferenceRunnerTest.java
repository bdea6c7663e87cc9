package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.NoGradScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class InferenceRunnerTest {

  private static final float TOLERANCE = 1e-5f;

  private static TrainedModel model;
  private static InferenceRunner runner;

  @BeforeAll
  static void trainTinyModel() throws Exception {
    model = TrainedModel.load(TinyModels.shared(), Device.cpu());
    runner = new InferenceRunner(model, 4);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void pairsGetProbabilitiesThatSumToOne() {
    List<InferenceResult> results = runner.infer(randomRecords(10, 0, 3));
    for (InferenceResult r : results) {
      assertTrue(r.isScores(), "a pair must get scores");
      assertNull(r.embeddings());
      assertEquals(TinyModels.CLASSES, r.scores().length);
      double sum = 0;
      for (float p : r.scores()) {
        assertTrue(p >= 0 && p <= 1, "probability out of range: " + p);
        sum += p;
      }
      assertEquals(1.0, sum, 1e-5, "scores " + Arrays.toString(r.scores()));
    }
  }

  @Test
  void mixedBatchAnswersEachRecordInItsOwnModeAndOrder() {
    List<InferenceInstance> mixed = randomRecords(13, 5, 0);
    List<InferenceResult> together = runner.infer(mixed);
    for (int i = 0; i < mixed.size(); i++) {
      InferenceInstance record = mixed.get(i);
      InferenceResult alone = runner.infer(List.of(record)).get(0);
      assertEquals(record.isPair(), together.get(i).isScores(), "mode of record " + i);
      assertArrayEquals(alone.values(), together.get(i).values(), TOLERANCE, "record " + i);
      int width = record.isPair() ? TinyModels.CLASSES : TinyModels.ENC_DIM;
      assertEquals(width, together.get(i).values().length);
    }
  }

  @Test
  void embeddingsEqualTheBlocksOwnEmbed() {
    int[] ids = {3, 9, 27, 1};
    float[] viaRunner = runner.infer(List.of(InferenceInstance.single(0, ids))).get(0).embeddings();
    float[] direct;
    try (NoGradScope noGrad = NoGradScope.enter();
        NDManager manager = model.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray idArray = manager.create(ids, new Shape(1, ids.length));
      NDArray lengths = manager.create(new int[] {ids.length});
      direct = model.block().embed(ps, idArray, lengths, 0).toFloatArray();
    }
    assertArrayEquals(direct, viaRunner, TOLERANCE);
  }

  @Test
  void scoresEqualTheBlocksOwnScore() {
    int[] in0 = {5, 6};
    int[] in1 = {1, 2, 3};
    float[] viaRunner = runner.infer(List.of(InferenceInstance.pair(in0, in1))).get(0).scores();
    float[] direct;
    try (NoGradScope noGrad = NoGradScope.enter();
        NDManager manager = model.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      NDList inputs =
          new NDList(
              manager.create(in0, new Shape(1, 2)),
              manager.create(new int[] {2}),
              manager.create(in1, new Shape(1, 3)),
              manager.create(new int[] {3}));
      direct = model.block().score(ps, inputs).toFloatArray();
    }
    assertArrayEquals(direct, viaRunner, TOLERANCE);
  }

  @Test
  void embeddingIgnoresWhatItIsBatchedWith() {
    InferenceInstance shortOne = InferenceInstance.single(1, new int[] {4});
    InferenceInstance longOne = InferenceInstance.single(1, new int[] {4, 5, 6, 7, 8, 9, 10});
    float[] alone = runner.infer(List.of(shortOne)).get(0).embeddings();
    float[] padded = runner.infer(List.of(longOne, shortOne)).get(1).embeddings();
    assertArrayEquals(alone, padded, TOLERANCE);
  }

  @Test
  void truncationKeepsOnlyTheLeadingIds() {
    int[] ids = {1, 2, 3, 4, 5, 6};
    TruncationLengths cut = new TruncationLengths(3, 8);
    float[] cutResult =
        runner.infer(List.of(InferenceInstance.single(0, ids)), cut).get(0).values();
    float[] prefix =
        runner.infer(List.of(InferenceInstance.single(0, new int[] {1, 2, 3}))).get(0).values();
    float[] full = runner.infer(List.of(InferenceInstance.single(0, ids))).get(0).values();
    assertArrayEquals(prefix, cutResult, TOLERANCE);
    assertFalse(Arrays.equals(full, cutResult), "cutting to 3 ids must change the embedding");
  }

  @Test
  void defaultTruncationIsTheModelsMaxSeqLen() {
    int[] longer = new int[TinyModels.MAX_LEN0 + 5];
    for (int i = 0; i < longer.length; i++) {
      longer[i] = i + 1;
    }
    int[] kept = Arrays.copyOf(longer, TinyModels.MAX_LEN0);
    float[] a = runner.infer(List.of(InferenceInstance.single(0, longer))).get(0).values();
    float[] b = runner.infer(List.of(InferenceInstance.single(0, kept))).get(0).values();
    assertArrayEquals(b, a, TOLERANCE);
  }

  @Test
  void badRecordsAreRejectedWithTheirIndex() {
    List<InferenceInstance> records = new ArrayList<>(randomRecords(3, 0, 0));
    records.add(InferenceInstance.single(1, new int[] {2, TinyModels.VOCAB1}));
    InvalidRecordException outside =
        assertThrows(InvalidRecordException.class, () -> runner.infer(records));
    assertEquals(3, outside.index());
    assertEquals("record 3: in1[1] = 30 is outside the vocabulary [0, 30)", outside.getMessage());

    List<InferenceInstance> withGap = new ArrayList<>(randomRecords(2, 0, 0));
    withGap.add(null);
    InvalidRecordException missing =
        assertThrows(InvalidRecordException.class, () -> runner.infer(withGap));
    assertEquals("record 2: null instead of a request", missing.getMessage());

    InvalidRecordException negative =
        assertThrows(
            InvalidRecordException.class,
            () -> runner.infer(List.of(InferenceInstance.single(0, new int[] {-1}))));
    assertTrue(negative.reason().contains("-1"), negative.getMessage());
  }

  @Test
  void severalThreadsGetTheSameResultsAsOne() throws Exception {
    List<List<InferenceInstance>> batches = new ArrayList<>();
    List<List<InferenceResult>> expected = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      List<InferenceInstance> batch = randomRecords(9, 3, 100 + b);
      batches.add(batch);
      expected.add(runner.infer(batch));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<InferenceResult>>> futures = new ArrayList<>();
      for (int repeat = 0; repeat < 2; repeat++) {
        for (List<InferenceInstance> batch : batches) {
          futures.add(pool.submit(() -> runner.infer(batch)));
        }
      }
      for (int f = 0; f < futures.size(); f++) {
        List<InferenceResult> got = futures.get(f).get();
        List<InferenceResult> want = expected.get(f % batches.size());
        for (int i = 0; i < want.size(); i++) {
          assertArrayEquals(want.get(i).values(), got.get(i).values(), TOLERANCE,
              "batch " + f + " record " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void truncationLengthsParseAndCheckTheirRange() {
    assertEquals(new TruncationLengths(3, 5000), TruncationLengths.parse("3, 5000"));
    assertThrows(InferenceRequestException.class, () -> TruncationLengths.parse("0,4"));
    assertThrows(InferenceRequestException.class, () -> TruncationLengths.parse("4,5001"));
    assertThrows(InferenceRequestException.class, () -> TruncationLengths.parse("4"));
    assertThrows(InferenceRequestException.class, () -> TruncationLengths.parse("a,b"));
  }

  /** {@code count} records; every {@code singleEvery}-th (if > 0) is a single side. */
  private static List<InferenceInstance> randomRecords(int count, int singleEvery, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<InferenceInstance> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] in0 = TinyModels.randomIds(rng, TinyModels.VOCAB0, 14);
      int[] in1 = TinyModels.randomIds(rng, TinyModels.VOCAB1, 11);
      if (singleEvery > 0 && i % singleEvery == 0) {
        records.add(
            i % 2 == 0 ? InferenceInstance.single(0, in0) : InferenceInstance.single(1, in1));
      } else {
        records.add(InferenceInstance.pair(in0, in1));
      }
    }
    return records;
  }
}
