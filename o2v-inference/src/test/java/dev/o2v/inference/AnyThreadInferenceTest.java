package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loading and inference work on threads other than the one that started the engine, where
 * PyTorch's thread-local grad mode starts out on.
 */
@Tag("engine")
class AnyThreadInferenceTest {

  private static final int THREADS = 4;
  private static final int ROUNDS = 3;

  private static Path modelDir;
  private static List<InferenceInstance> records;
  private static List<InferenceResult> expected;

  @BeforeAll
  static void answerOnTheTestThread() throws Exception {
    modelDir = TinyModels.shared();
    SplittableRandom rng = new SplittableRandom(5);
    records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int[] in0 = TinyModels.randomIds(rng, TinyModels.VOCAB0, 9);
      int[] in1 = TinyModels.randomIds(rng, TinyModels.VOCAB1, 7);
      records.add(
          switch (i % 3) {
            case 0 -> InferenceInstance.pair(in0, in1);
            case 1 -> InferenceInstance.single(0, in0);
            default -> InferenceInstance.single(1, in1);
          });
    }
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
      expected = new InferenceRunner(model).infer(records);
    }
  }

  @Test
  void freshThreadsLoadAndInferConcurrentlyAndRepeatedly() throws Exception {
    List<CompletableFuture<List<List<InferenceResult>>>> answers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      CompletableFuture<List<List<InferenceResult>>> answer = new CompletableFuture<>();
      Thread thread = new Thread(() -> loadAndInfer(answer), "fresh-" + t);
      thread.start();
      answers.add(answer);
    }
    for (CompletableFuture<List<List<InferenceResult>>> answer : answers) {
      List<List<InferenceResult>> rounds = answer.get();
      assertEquals(ROUNDS, rounds.size());
      for (List<InferenceResult> round : rounds) {
        for (int i = 0; i < records.size(); i++) {
          assertArrayEquals(expected.get(i).values(), round.get(i).values(), "record " + i);
        }
      }
    }
  }

  private static void loadAndInfer(CompletableFuture<List<List<InferenceResult>>> answer) {
    try {
      List<List<InferenceResult>> rounds = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu())) {
          rounds.add(new InferenceRunner(model).infer(records));
        }
      }
      answer.complete(rounds);
    } catch (Throwable e) {
      answer.completeExceptionally(e);
    }
  }
}
