package dev.o2v.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Models open and answer on fresh threads (where libtorch's thread-local grad mode starts on),
 * concurrently and repeatedly, and one model serves many threads at once.
 */
@Tag("engine")
class ConcurrentUseTest {

  private static final int THREADS = 4;
  private static final int ROUNDS = 3;

  private interface Work {
    float[][] run() throws Exception;
  }

  private static List<float[][]> onFreshThreads(Work work) throws Exception {
    List<CompletableFuture<float[][]>> answers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      CompletableFuture<float[][]> answer = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          float[][] last = null;
          for (int r = 0; r < ROUNDS; r++) {
            last = work.run();
          }
          answer.complete(last);
        } catch (Throwable e) {
          answer.completeExceptionally(e);
        }
      }, "fresh-" + t);
      thread.start();
      answers.add(answer);
    }
    List<float[][]> out = new ArrayList<>();
    for (CompletableFuture<float[][]> answer : answers) {
      out.add(answer.get());
    }
    return out;
  }

  private static List<int[]> inputs() {
    SplittableRandom rng = new SplittableRandom(21);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(TinyTextModel.randomIds(rng, 12));
    }
    return out;
  }

  @Test
  void freshThreadsOpenAndEmbedConcurrentlyAndGetTheSameVectors() throws Exception {
    Path dir = TinyTextModel.shared();
    List<int[]> inputs = inputs();
    float[][] expected;
    try (Object2VecModel model = Object2VecModel.open(dir)) {
      expected = model.embed(Side.IN1, inputs);
    }
    List<float[][]> answers = onFreshThreads(() -> {
      try (Object2VecModel model = Object2VecModel.open(dir)) {
        return model.embed(Side.IN1, inputs);
      }
    });
    for (float[][] answer : answers) {
      assertEquals(expected.length, answer.length);
      for (int i = 0; i < expected.length; i++) {
        assertArrayEquals(expected[i], answer[i], "input " + i);
      }
    }
  }

  @Test
  void oneModelAnswersManyThreadsAtOnce() throws Exception {
    List<int[]> inputs = inputs();
    try (Object2VecModel model = Object2VecModel.open(TinyTextModel.shared())) {
      float[][] expected = model.score(inputs, inputs);
      List<float[][]> answers = onFreshThreads(() -> model.score(inputs, inputs));
      for (float[][] answer : answers) {
        for (int i = 0; i < expected.length; i++) {
          assertArrayEquals(expected[i], answer[i], "pair " + i);
        }
      }
    }
  }
}
