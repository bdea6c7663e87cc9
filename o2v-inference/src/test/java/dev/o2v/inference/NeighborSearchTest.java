package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class NeighborSearchTest {

  private static TrainedModel model;
  private static InferenceRunner runner;

  @BeforeAll
  static void loadModel() throws Exception {
    model = TrainedModel.load(TinyModels.shared(), Device.cpu());
    runner = new InferenceRunner(model);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void neighboursAreTheTopCosinesSortedAndExcludeTheQuery() {
    int k = 5;
    List<NeighborSearch.Result> results =
        new NeighborSearch(runner, 1, 7).search(new int[] {4, 17}, k);
    float[][] unit = allUnitEmbeddings(1, TinyModels.VOCAB1);
    for (NeighborSearch.Result result : results) {
      List<NeighborSearch.Neighbor> found = result.neighbors();
      assertEquals(k, found.size());
      List<float[]> bruteForce = new ArrayList<>();
      for (int id = 1; id < TinyModels.VOCAB1; id++) { // id 0 is padding: no neighbour
        if (id != result.query()) {
          bruteForce.add(new float[] {id, dot(unit[result.query()], unit[id])});
        }
      }
      bruteForce.sort((a, b) -> Float.compare(b[1], a[1]));
      for (int i = 0; i < k; i++) {
        NeighborSearch.Neighbor n = found.get(i);
        assertNotEquals(result.query(), n.id(), "a query is not its own neighbour");
        assertEquals(bruteForce.get(i)[1], n.cosine(), 1e-4f, "rank " + i + " of " + result);
        if (i > 0) {
          assertTrue(found.get(i - 1).cosine() >= n.cosine(), "sorted: " + found);
        }
      }
    }
  }

  @Test
  void kLargerThanTheVocabularyReturnsEveryOtherIdButThePaddingId() {
    NeighborSearch.Result result = new NeighborSearch(runner, 1, 64).search(new int[] {1}, 100)
        .get(0);
    assertEquals(TinyModels.VOCAB1 - 2, result.neighbors().size());
    assertTrue(result.neighbors().stream().noneMatch(n -> n.id() == 0), result.toJson());
  }

  @Test
  void thePaddingIdIsNoQuery() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> new NeighborSearch(runner, 0, 8).search(new int[] {0}, 3));
    assertEquals("query id 0 is padding for this model: it has no embedding of its own",
        e.getMessage());
  }

  @Test
  void jsonLineNamesQueryIdsAndCosines() {
    NeighborSearch.Result result =
        new NeighborSearch.Result(5, List.of(new NeighborSearch.Neighbor(9, 0.93f)));
    assertEquals("{\"query\":5,\"neighbors\":[{\"id\":9,\"cosine\":0.93}]}", result.toJson());
  }

  @Test
  void queryOutsideTheVocabularyIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> new NeighborSearch(runner, 0, 8).search(new int[] {TinyModels.VOCAB0}, 3));
    assertEquals("query id 40 is outside the in0 vocabulary [0, 40)", e.getMessage());
  }

  private static float[][] allUnitEmbeddings(int side, int vocab) {
    float[][] unit = new float[vocab][];
    for (int id = 0; id < vocab; id++) {
      float[] e = runner.infer(List.of(InferenceInstance.single(side, new int[] {id}))).get(0)
          .embeddings();
      double norm = 0;
      for (float v : e) {
        norm += v * v;
      }
      unit[id] = new float[e.length];
      for (int i = 0; i < e.length && norm > 0; i++) {
        unit[id][i] = (float) (e[i] / Math.sqrt(norm));
      }
    }
    return unit;
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
