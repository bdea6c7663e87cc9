package dev.o2v.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.o2v.core.hp.ComparatorOp;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.Network;
import dev.o2v.core.hp.OutputLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class Object2VecBlockTest {

  private static final int BATCH = 3;
  private static final int T0 = 5;
  private static final int T1 = 4;

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(1234);
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Object2VecBlock initialized(Hyperparameters hp) {
    Object2VecBlock block = new Object2VecBlock(hp);
    block.initialize(
        manager,
        DataType.FLOAT32,
        new Shape(BATCH, T0),
        new Shape(BATCH),
        new Shape(BATCH, T1),
        new Shape(BATCH));
    return block;
  }

  /** A batch with ragged lengths; padding positions hold arbitrary valid ids. */
  private NDList batch(int vocab0, int vocab1) {
    int[] ids0 = new int[BATCH * T0];
    int[] ids1 = new int[BATCH * T1];
    for (int i = 0; i < ids0.length; i++) {
      ids0[i] = (i * 7 + 3) % vocab0;
    }
    for (int i = 0; i < ids1.length; i++) {
      ids1[i] = (i * 5 + 1) % vocab1;
    }
    return new NDList(
        manager.create(ids0, new Shape(BATCH, T0)),
        manager.create(new int[] {5, 2, 1}),
        manager.create(ids1, new Shape(BATCH, T1)),
        manager.create(new int[] {1, 4, 3}));
  }

  private NDArray forward(Object2VecBlock block, NDList batch) {
    return block.forward(store, batch, false).singletonOrThrow();
  }

  @Test
  void everyNetworkComparatorAndMlpDepthGivesOneRowPerPair() {
    List<List<ComparatorOp>> combos =
        List.of(
            List.of(ComparatorOp.HADAMARD),
            List.of(ComparatorOp.CONCAT),
            List.of(ComparatorOp.ABS_DIFF),
            List.of(ComparatorOp.ABS_DIFF, ComparatorOp.CONCAT, ComparatorOp.HADAMARD));
    Network[] networks = Network.values();
    int cases = 0;
    for (int n = 0; n < networks.length; n++) {
      for (List<ComparatorOp> combo : combos) {
        for (int layers = 0; layers <= 2; layers++) {
          HpFixture f = new HpFixture();
          f.network0 = networks[n];
          f.enc1IsEnc0 = false;
          f.network1 = networks[(n + 1) % networks.length];
          f.vocab1 = 9;
          f.comparators = combo;
          f.mlpLayers = layers;
          f.output = layers == 1 ? OutputLayer.MEAN_SQUARED_ERROR : OutputLayer.SOFTMAX;
          Hyperparameters hp = f.build();
          Object2VecBlock block = initialized(hp);
          String label = networks[n] + "/" + f.network1 + " " + combo + " mlp " + layers;
          Shape expected = new Shape(BATCH, hp.outputWidth());
          assertEquals(expected, forward(block, batch(f.vocab0, f.vocab1)).getShape(), label);
          assertEquals(
              expected,
              block.getOutputShapes(new Shape[] {new Shape(BATCH, T0)})[0],
              "declared " + label);
          Shape joined = new Shape(BATCH, hp.comparatorWidth());
          Shape hidden = layers == 0 ? joined : new Shape(BATCH, f.mlpDim);
          assertEquals(hidden, block.mlp().getOutputShapes(new Shape[] {joined})[0], label);
          cases++;
        }
      }
    }
    assertEquals(36, cases, "cases run");
  }

  @Test
  void everyParameterReceivesGradientFromATrainingForward() {
    for (Network network : Network.values()) {
      HpFixture f = new HpFixture();
      f.network0 = network;
      f.tied = true;
      f.dropout = 0.1;
      f.mlpLayers = 2;
      Object2VecBlock block = initialized(f.build());
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = block.forward(store, batch(f.vocab0, f.vocab1), true).singletonOrThrow();
        collector.backward(logits.mul(logits).sum());
      }
      for (Pair<String, Parameter> p : block.getParameters()) {
        float gradNorm = p.getValue().getArray().getGradient().abs().sum().getFloat();
        assertTrue(gradNorm > 0f, network + " " + p.getKey() + " gradient " + gradNorm);
      }
    }
  }

  @Test
  void dropoutOfOneTrainsWithZeroedActivationsInEveryEncoder() {
    for (Network network : Network.values()) {
      HpFixture f = new HpFixture();
      f.network0 = network;
      f.dropout = 1.0;
      f.mlpLayers = 1;
      Object2VecBlock block = initialized(f.build());
      NDArray training = block.forward(store, batch(f.vocab0, f.vocab1), true).singletonOrThrow();
      NDArray inference = block.forward(store, batch(f.vocab0, f.vocab1), false).singletonOrThrow();
      float trainingSpread = training.sub(training.get(0)).abs().max().getFloat();
      assertEquals(0f, trainingSpread, network + ": all inputs look alike when all is dropped");
      assertTrue(inference.isInfinite().logicalOr(inference.isNaN()).sum().getLong() == 0,
          network + " inference output finite: " + inference);
    }
  }

  @Test
  void dropoutActsOnTheEncodingNotOnTheTokenVectors() {
    // Inverted dropout on the encoding keeps each element or zeroes it: every training element is
    // 0 or the inference element / (1 - rate). Dropout on the token vectors would instead mix
    // scaled and dropped tokens inside the pooling, giving other values.
    float rate = 0.5f;
    for (Network network : List.of(Network.POOLED_EMBEDDING, Network.BILSTM)) {
      HpFixture f = new HpFixture();
      f.network0 = network;
      f.dropout = rate;
      Object2VecBlock block = initialized(f.build());
      NDList inputs = batch(f.vocab0, f.vocab1);
      NDArray embedded = block.tokenEmbedding(0).lookup(store, inputs.get(0), false);
      float[] kept =
          block.encodeEmbedded(store, embedded, inputs.get(1), 0, false).toFloatArray();
      float[] trained =
          block.encodeEmbedded(store, embedded, inputs.get(1), 0, true).toFloatArray();
      int zeroed = 0;
      for (int i = 0; i < kept.length; i++) {
        if (trained[i] == 0f) {
          zeroed++;
        } else {
          assertEquals(kept[i] / (1 - rate), trained[i], 1e-5f,
              network + " element " + i + " is kept and scaled");
        }
      }
      assertTrue(zeroed > 0 && zeroed < kept.length,
          network + ": some but not all of " + kept.length + " elements dropped, found " + zeroed);
    }
  }

  @Test
  void tiedTablesAreOneParameterObject() {
    HpFixture f = new HpFixture();
    f.tied = true;
    Object2VecBlock block = initialized(f.build());
    assertTrue(block.tiedTokenEmbedding(), "tied");
    assertSame(block.tokenEmbedding(0), block.tokenEmbedding(1), "one table block");
    assertSame(block.tokenEmbedding(0).table(), block.tokenEmbedding(1).table(), "one parameter");
    long tables = block.getParameters().stream().filter(p -> p.getKey().endsWith("table")).count();
    assertEquals(1, tables, "the shared table is registered once");

    NDArray ids = manager.create(new int[] {4}, new Shape(1, 1));
    NDArray before = block.tokenEmbedding(1).lookup(store, ids, false).duplicate();
    NDArray weights = block.tokenEmbedding(0).table().getArray();
    weights.set(new ai.djl.ndarray.index.NDIndex("4"), 42f);
    float[] after = block.tokenEmbedding(1).lookup(store, ids, false).toFloatArray();
    for (float v : after) {
      assertEquals(42f, v, "side 1 sees the in-place update made through side 0");
    }
    assertTrue(before.toFloatArray()[0] != 42f, "the update changed something");
  }

  @Test
  void untiedSidesHaveTheirOwnTables() {
    Object2VecBlock block = initialized(new HpFixture().build());
    assertNotSame(block.tokenEmbedding(0).table(), block.tokenEmbedding(1).table());
  }

  @Test
  void tyingNeedsEqualVocabSizesAndDims() {
    HpFixture f = new HpFixture();
    f.tied = true;
    f.enc1IsEnc0 = false;
    f.vocab1 = 12;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Object2VecBlock(f.build()));
    assertTrue(e.getMessage().contains("11x5 and 12x5"), e.getMessage());
  }

  @Test
  void encoderOneHasItsOwnWeightsWhenItCopiesEncoderZero() {
    HpFixture f = new HpFixture();
    f.network0 = Network.BILSTM;
    Object2VecBlock block = initialized(f.build());
    List<Parameter> p0 = block.encoder(0).getParameters().values();
    List<Parameter> p1 = block.encoder(1).getParameters().values();
    assertEquals(p0.size(), p1.size(), "same structure");
    assertTrue(!p0.isEmpty(), "bilstm has weights");
    for (int i = 0; i < p0.size(); i++) {
      assertNotSame(p0.get(i), p1.get(i), "parameter " + i);
      assertTrue(
          !java.util.Arrays.equals(
                  p0.get(i).getArray().toFloatArray(), p1.get(i).getArray().toFloatArray())
              || p0.get(i).getType() == Parameter.Type.BIAS,
          "independently initialised weight " + p0.get(i).getName());
    }
  }

  @Test
  void embedEqualsTheEncodingsInsideThePairForward() {
    for (Network network : Network.values()) {
      HpFixture f = new HpFixture();
      f.network0 = network;
      f.dropout = 0.3;
      f.comparators = List.of(ComparatorOp.CONCAT);
      f.mlpLayers = 0;
      f.numClasses = 2 * f.encDim;
      Object2VecBlock block = initialized(f.build());
      // An identity head makes the logits the concatenated encodings [e0; e1].
      NDArray weight = TestParams.named(block.head(), "weight").getArray();
      weight.set(manager.eye(2 * f.encDim).toFloatArray());
      NDList batch = batch(f.vocab0, f.vocab1);
      float[] logits = forward(block, batch).toFloatArray();
      float[] e0 = block.embed(store, batch.get(0), batch.get(1), 0).toFloatArray();
      float[] e1 = block.embed(store, batch.get(2), batch.get(3), 1).toFloatArray();
      int d = f.encDim;
      for (int b = 0; b < BATCH; b++) {
        for (int k = 0; k < d; k++) {
          assertEquals(e0[b * d + k], logits[b * 2 * d + k], 1e-6f, network + " e0 " + b);
          assertEquals(e1[b * d + k], logits[b * 2 * d + d + k], 1e-6f, network + " e1 " + b);
        }
      }
    }
  }

  @Test
  void forwardFromLookedUpVectorsEqualsForwardFromIds() {
    HpFixture f = new HpFixture();
    f.network0 = Network.BILSTM;
    Object2VecBlock block = initialized(f.build());
    NDList batch = batch(f.vocab0, f.vocab1);
    NDArray emb0 = block.tokenEmbedding(0).lookup(store, batch.get(0), false);
    NDArray emb1 = TokenEmbedding.gather(block.tokenEmbedding(1).table().getArray(), batch.get(2));
    float[] fromVectors =
        block
            .forwardEmbedded(store, emb0, batch.get(1), emb1, batch.get(3), false)
            .singletonOrThrow()
            .toFloatArray();
    assertArrayEquals(forward(block, batch).toFloatArray(), fromVectors, 0f);
  }

  @Test
  void pooledSidesScoreFromTheirIdsAsFromTheirMaskedTokenVectors() {
    HpFixture f = new HpFixture();
    f.network0 = Network.POOLED_EMBEDDING;
    f.network1 = Network.HCNN;
    f.enc1IsEnc0 = false;
    f.tokenDim0 = f.encDim;
    Object2VecBlock block = initialized(f.build());
    NDList batch = batch(f.vocab0, f.vocab1);
    NDArray emb0 = block.tokenEmbedding(0).lookup(store, batch.get(0), false);
    NDArray emb1 = block.tokenEmbedding(1).lookup(store, batch.get(2), false);
    float[] fromVectors = block
        .forwardEmbedded(store, emb0, batch.get(1), emb1, batch.get(3), false)
        .singletonOrThrow()
        .toFloatArray();
    assertArrayEquals(fromVectors, forward(block, batch).toFloatArray(), 1e-6f);

    // Side 0's padding is never looked up: ids outside the table there change nothing.
    int[] ids0 = batch.get(0).toIntArray();
    int[] lengths0 = batch.get(1).toIntArray();
    for (int r = 0; r < BATCH; r++) {
      for (int p = lengths0[r]; p < T0; p++) {
        ids0[r * T0 + p] = f.vocab0 + 100;
      }
    }
    NDList padded = new NDList(manager.create(ids0, new Shape(BATCH, T0)), batch.get(1),
        batch.get(2), batch.get(3));
    assertArrayEquals(forward(block, batch).toFloatArray(), forward(block, padded).toFloatArray(),
        0f);
  }

  @Test
  void softmaxScoresSumToOneAndRegressionScoresAreTheValue() {
    HpFixture f = new HpFixture();
    Object2VecBlock softmax = initialized(f.build());
    NDArray p = softmax.score(store, batch(f.vocab0, f.vocab1));
    assertEquals(new Shape(BATCH, f.numClasses), p.getShape());
    for (float s : p.sum(new int[] {1}).toFloatArray()) {
      assertEquals(1f, s, 1e-6f, "row sum");
    }
    f.output = OutputLayer.MEAN_SQUARED_ERROR;
    Object2VecBlock regression = initialized(f.build());
    NDList batch = batch(f.vocab0, f.vocab1);
    NDArray value = regression.score(store, batch);
    assertEquals(new Shape(BATCH, 1), value.getShape());
    assertArrayEquals(forward(regression, batch).toFloatArray(), value.toFloatArray(), 0f);
  }

  @Test
  void savedAndLoadedNetworkGivesBitIdenticalOutputs() throws Exception {
    for (boolean tied : new boolean[] {false, true}) {
      HpFixture f = new HpFixture();
      f.network0 = Network.BILSTM;
      f.tied = tied;
      Hyperparameters hp = f.build();
      Object2VecBlock original = initialized(hp);
      original.tokenEmbedding(0).freezeRows(new int[] {2, 7});
      byte[] saved = save(original);

      Engine.getInstance().setRandomSeed(99);
      Object2VecBlock copy = initialized(hp);
      NDList batch = batch(f.vocab0, f.vocab1);
      float[] expected = forward(original, batch).toFloatArray();
      assertTrue(
          !java.util.Arrays.equals(expected, forward(copy, batch).toFloatArray()),
          "a fresh network differs before loading");
      copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
      // A ParameterStore caches parameter arrays; loading replaces them, so start a new store.
      store = new ParameterStore(manager, false);
      assertArrayEquals(expected, forward(copy, batch).toFloatArray(), 0f, "tied=" + tied);
      assertArrayEquals(new int[] {2, 7}, copy.tokenEmbedding(0).frozenRows(), "frozen rows");

      Object2VecBlock fresh = new Object2VecBlock(hp);
      fresh.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
      assertArrayEquals(expected, forward(fresh, batch).toFloatArray(), 0f, "uninitialised");
    }
  }

  @Test
  void loadingIntoADifferentNetworkNamesBothStructures() throws IOException {
    byte[] saved = save(initialized(new HpFixture().build()));
    HpFixture other = new HpFixture();
    other.mlpDim = 8;
    Object2VecBlock block = new Object2VecBlock(other.build());
    MalformedModelException e =
        assertThrows(
            MalformedModelException.class,
            () ->
                block.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(saved))));
    assertTrue(
        e.getMessage().contains("mlp=1x7") && e.getMessage().contains("mlp=1x8"), e.getMessage());
  }

  @Test
  void summaryTotalEqualsTheSumOverParameters() {
    for (boolean tied : new boolean[] {false, true}) {
      HpFixture f = new HpFixture();
      f.tied = tied;
      Object2VecBlock block = initialized(f.build());
      long sum = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        sum += p.getValue().getArray().size();
      }
      ModelSummary summary = ModelSummary.of(block, 32, 10, 12);
      assertEquals(sum, summary.totalParameters(), "tied=" + tied + "\n" + summary);
      assertEquals(7, summary.rows().size(), summary.toString());
      assertEquals(new Shape(32, 10, 5), summary.rows().get(0).outputShape());
      assertEquals(new Shape(32, 12, 5), summary.rows().get(1).outputShape());
      assertEquals(new Shape(32, 24), summary.rows().get(4).outputShape(), "comparator 4d");
      assertEquals(new Shape(32, 3), summary.rows().get(6).outputShape(), "head");
      assertEquals(tied ? 0 : 55, summary.rows().get(1).parameters(), "embedding1");
      assertEquals(summary.rows().size() + 2, summary.toString().split("\n").length);
    }
  }

  @Test
  void frozenHcnnWeightsScoreAsTheLiveOnesUntilThawed() {
    Object2VecBlock block = initialized(new HpFixture().build()); // hcnn on both sides
    NDList batch = batch(11, 11);
    float[] live = forward(block, batch).toFloatArray();
    float[] liveSide1 = block.embed(store, batch.get(2), batch.get(3), 1).toFloatArray();
    block.freezeWeights();
    assertArrayEquals(live, forward(block, batch).toFloatArray(), 0f, "both sides, frozen");
    assertArrayEquals(liveSide1, block.embed(store, batch.get(2), batch.get(3), 1).toFloatArray(),
        0f, "one side, frozen");
    // A change the freeze rules out: inference keeps the kernels it made, training does not.
    block.encoder(0).getParameters().valueAt(0).getArray().muli(2);
    assertArrayEquals(live, forward(block, batch).toFloatArray(), 0f, "kept kernels");
    float[] training = block.forward(store, batch, true).singletonOrThrow().toFloatArray();
    assertFalse(Arrays.equals(live, training), "a training pass reads the weights themselves");
    block.thawWeights();
    float[] thawed = forward(block, batch).toFloatArray();
    assertArrayEquals(training, thawed, 1e-6f, "thawed: the changed weights");
    assertFalse(Arrays.equals(live, thawed), Arrays.toString(thawed));
    assertArrayEquals(liveSide1, block.embed(store, batch.get(2), batch.get(3), 1).toFloatArray(),
        0f, "side 1 unchanged");
  }

  private static byte[] save(Object2VecBlock block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream os = new DataOutputStream(bytes)) {
      block.saveParameters(os);
    }
    return bytes.toByteArray();
  }
}
