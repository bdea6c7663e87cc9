package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.synthetic.PairExample;
import dev.o2v.train.model.LayerDefaultInitialisation;
import dev.o2v.train.model.ModelManifest;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.model.WriteFaults;
import dev.o2v.train.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class TrainerTest {

  @TempDir Path tmp;

  @Test
  void trainingWritesALoadableModelAndSageMakerMetricLines() throws IOException {
    Hyperparameters hp = TrainingFixtures.hp("epochs", "2");
    PairDataset train = TrainingFixtures.topicData(hp, 600, 1);
    PairDataset validation = TrainingFixtures.topicData(hp, 100, 2);
    PairDataset test = TrainingFixtures.topicData(hp, 100, 3);
    TrainingFixtures.Run run =
        TrainingFixtures.train(
            hp,
            new TrainingData(train, Optional.of(validation), Optional.of(test)),
            tmp.resolve("model"));

    String lines = run.metricLines();
    for (int epoch = 0; epoch <= 1; epoch++) {
      for (String metric : new String[] {"train cross_entropy <loss>", "train accuracy <score>",
          "validation cross_entropy <loss>", "validation accuracy <score>"}) {
        String expected = "#quality_metric: host=algo-1, epoch=" + epoch + ", " + metric + "=";
        assertTrue(lines.contains(expected), "missing '" + expected + "' in\n" + lines);
      }
    }
    assertTrue(lines.contains("#quality_metric: host=algo-1, test accuracy <score>="), lines);
    assertEquals(2, lines.split("#throughput_metric: host=algo-1, train throughput=").length - 1);

    ModelManifest manifest = ModelManifest.readFrom(tmp.resolve("model"));
    assertEquals(run.history().bestEpoch(), manifest.bestEpoch());
    assertTrue(Files.exists(tmp.resolve("model/metrics.json")));
    assertEquals(StopReason.COMPLETED_EPOCHS, run.history().stopReason());
    assertEquals(2, run.history().epochs().size());
    assertTrue(run.history().test().containsKey("accuracy"), run.history().test().toString());
  }

  @Test
  void theSavedModelIsTheBestEpochNotTheLast() throws IOException {
    // A learning rate this high makes validation loss jump around; whichever epoch is best, the
    // saved weights must reproduce that epoch's validation loss.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "4", "learning_rate", "0.3",
        "early_stopping_patience", "5");
    PairDataset train = TrainingFixtures.topicData(hp, 400, 1);
    PairDataset validation = TrainingFixtures.topicData(hp, 200, 2);
    TrainingFixtures.Run run =
        TrainingFixtures.train(
            hp, new TrainingData(train, Optional.of(validation), Optional.empty()),
            tmp.resolve("model"));
    EpochRecord best = run.history().epochs().get(run.history().bestEpoch());
    double bestLoss = best.validation().get("cross_entropy");
    for (EpochRecord e : run.history().epochs()) {
      assertTrue(e.validation().get("cross_entropy") >= bestLoss, "best is the minimum");
    }
    try (TrainedModel model = TrainedModel.load(tmp.resolve("model"), Device.cpu())) {
      double reloaded =
          new Evaluator(model.block(), 64).evaluate(validation, model.manager()).meanLoss();
      assertEquals(bestLoss, reloaded, 1e-5, "reloaded model's validation loss");
    }
  }

  @Test
  void theTestMetricsAreThoseOfTheSavedModelWhenTheLastEpochIsTheBest() throws IOException {
    // The last epoch's weights are not read back from its best file: the test channel is scored
    // with the weights training left, which must be the saved ones.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "3", "learning_rate", "0.01");
    PairDataset train = TrainingFixtures.topicData(hp, 400, 1);
    PairDataset test = TrainingFixtures.topicData(hp, 200, 3);
    TrainingFixtures.Run run = TrainingFixtures.train(
        hp, new TrainingData(train, Optional.empty(), Optional.of(test)), tmp.resolve("model"));
    assertEquals(2, run.history().bestEpoch(), "a steady run: the last epoch is the best");
    try (TrainedModel model = TrainedModel.load(tmp.resolve("model"), Device.cpu())) {
      EvaluationResult reloaded =
          new Evaluator(model.block(), 64).evaluate(test, model.manager());
      assertEquals(reloaded.meanLoss(), run.history().test().get("cross_entropy"), 1e-6,
          "test loss of the saved model");
      assertEquals(reloaded.accuracy(),
          run.history().test().get("accuracy"), 1e-9, "test accuracy of the saved model");
    }
  }

  @Test
  void trainingAndResumingRunOnThreadsOtherThanTheEnginesOwn() throws Exception {
    // Grad mode is on by default on any thread but the one that loaded the engine; loading the
    // best epoch's weights at the end (and a checkpoint's on resume) must work there too.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "2", "learning_rate", "0.3");
    PairDataset train = TrainingFixtures.topicData(hp, 300, 1);
    PairDataset validation = TrainingFixtures.topicData(hp, 100, 2);
    TrainingData data = new TrainingData(train, Optional.of(validation), Optional.empty());
    Path model = tmp.resolve("model");
    TrainingFixtures.Run first = onWorkerThread(() -> TrainingFixtures.train(hp, data, model));
    assertEquals(2, first.history().epochs().size());
    Hyperparameters longer = TrainingFixtures.hp("epochs", "3", "learning_rate", "0.3");
    TrainingFixtures.Run resumed = onWorkerThread(() ->
        TrainingFixtures.train(longer, data, model, true, ProgressListener.silent()));
    assertEquals(3, resumed.history().epochs().size(), "resumed after epoch 1");
    try (TrainedModel reloaded = TrainedModel.load(model, Device.cpu())) {
      assertEquals(3, reloaded.hyperparameters().epochs());
    }
  }

  /** Runs {@code work} on a new thread and returns its result or rethrows what it threw. */
  private static <T> T onWorkerThread(Callable<T> work) throws Exception {
    FutureTask<T> task = new FutureTask<>(work);
    Thread worker = new Thread(task, "trainer-test-worker");
    worker.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  void earlyStoppingEndsTrainingWhenTheBadEpochsExceedThePatience() throws IOException {
    // Tolerance 0.1 on a loss that cannot drop by 0.1 per epoch at this learning rate: epochs 0
    // and 1 are not judged, 2, 3 and 4 are bad, and three bad epochs exceed the patience of 2.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "10", "learning_rate", "0.00001",
        "early_stopping_patience", "2", "early_stopping_tolerance", "0.1");
    PairDataset train = TrainingFixtures.topicData(hp, 200, 1);
    TrainingFixtures.Run run =
        TrainingFixtures.train(
            hp, new TrainingData(train, Optional.empty(), Optional.empty()), tmp.resolve("m"));
    assertEquals(StopReason.EARLY_STOPPING, run.history().stopReason());
    assertEquals(5, run.history().epochs().size(), "epochs run");
    double lowest = Double.POSITIVE_INFINITY;
    int lowestEpoch = -1;
    for (EpochRecord e : run.history().epochs()) {
      if (e.train().get("cross_entropy") < lowest) {
        lowest = e.train().get("cross_entropy");
        lowestEpoch = e.epoch();
      }
    }
    assertEquals(lowestEpoch, run.history().bestEpoch(), "the kept epoch has the lowest loss");
    String lines = run.metricLines();
    assertTrue(lines.contains("epoch=4, train cross_entropy"), lines);
    assertTrue(lines.strip().lines().anyMatch(
        "#progress_metric: host=algo-1, completed 100 % epochs"::equals), lines);
    assertTrue(lines.contains("completed 40.0 % of epochs"), lines);
    assertTrue(!lines.contains("completed 50.0 % of epochs"), "no share after the stop: " + lines);
  }

  @Test
  void aRunResumedBeforeOrAfterItsStoppingEpochStopsLikeTheUninterruptedOne() throws IOException {
    // As in the test above: epochs 2, 3 and 4 are bad and the run stops after epoch 4.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "10", "learning_rate", "0.00001",
        "early_stopping_patience", "2", "early_stopping_tolerance", "0.1");
    TrainingData data = new TrainingData(
        TrainingFixtures.topicData(hp, 200, 1), Optional.empty(), Optional.empty());
    TrainingFixtures.Run straight = TrainingFixtures.train(hp, data, tmp.resolve("straight"));
    assertEquals(StopReason.EARLY_STOPPING, straight.history().stopReason());

    Path crashed = tmp.resolve("crashed");
    assertThrows(SimulatedCrash.class,
        () -> TrainingFixtures.train(hp, data, crashed, false, new CrashingListener(3)));
    TrainingFixtures.Run resumed =
        TrainingFixtures.train(hp, data, crashed, true, ProgressListener.silent());
    assertEquals(straight.history().epochs().size(), resumed.history().epochs().size());
    assertEquals(straight.history().bestEpoch(), resumed.history().bestEpoch());
    assertEquals(StopReason.EARLY_STOPPING, resumed.history().stopReason());
    String expectedTail = straight.metricLines().substring(
        straight.metricLines().indexOf("epoch=3,")).replaceAll("throughput=\\S+", "");
    assertEquals(expectedTail, resumed.metricLines().substring(
        resumed.metricLines().indexOf("epoch=3,")).replaceAll("throughput=\\S+", ""),
        "metric lines after the crash");

    // Killed after the stopping epoch's checkpoint, while writing the model: nothing to train.
    Path unfinished = tmp.resolve("unfinished");
    WriteFaults.diskFullFor("manifest.json"::equals, 10);
    try {
      assertThrows(IOException.class, () -> TrainingFixtures.train(hp, data, unfinished));
    } finally {
      WriteFaults.clear();
    }
    TrainingFixtures.Run finished =
        TrainingFixtures.train(hp, data, unfinished, true, ProgressListener.silent());
    assertEquals(straight.history().epochs().size(), finished.history().epochs().size());
    assertEquals(StopReason.EARLY_STOPPING, finished.history().stopReason());
    assertTrue(!finished.metricLines().contains("epoch="), finished.metricLines());
  }

  @Test
  void aResumedRunEndsWithTheModelOfAnUninterruptedOne() throws IOException {
    // Without a validation channel early stopping follows the training loss, which is lowest
    // after the interruption here: the saved model was trained after the resume.
    Hyperparameters hp = TrainingFixtures.hp("epochs", "4", "dropout", "0.2",
        "negative_sampling_rate", "1", "early_stopping_patience", "5",
        "early_stopping_tolerance", "0.000001");
    PairDataset train = TrainingFixtures.topicData(hp, 300, 1);
    PairDataset validation = TrainingFixtures.topicData(hp, 100, 2);
    TrainingData data = new TrainingData(train, Optional.empty(), Optional.empty());

    TrainingFixtures.train(hp, data, tmp.resolve("straight"));

    Path interrupted = tmp.resolve("interrupted");
    ProgressListener crashAtEpoch2 =
        new CrashingListener(2);
    assertThrows(
        SimulatedCrash.class,
        () -> TrainingFixtures.train(hp, data, interrupted, false, crashAtEpoch2));
    TrainingFixtures.Run resumed =
        TrainingFixtures.train(hp, data, interrupted, true, ProgressListener.silent());
    assertEquals(4, resumed.history().epochs().size(), "history carries the first two epochs");
    int best = resumed.history().bestEpoch();
    assertTrue(best >= 2, "the best epoch comes after the resume, found " + best);

    float[] a = predictions(tmp.resolve("straight"), validation);
    float[] b = predictions(interrupted, validation);
    assertArrayEquals(a, b, 1e-6f, "resumed model predicts like the uninterrupted one");
  }

  @Test
  void divergingLossStopsWithEpochAndBatchAndKeepsTheLastCheckpoint() throws IOException {
    // One batch per epoch; a huge regression target and SGD at rate 1 make epoch 0 finite and
    // blow the weights up so that epoch 1's loss overflows.
    Hyperparameters hp = TrainingFixtures.hp("output_layer", "mean_squared_error",
        "optimizer", "sgd", "learning_rate", "1", "mini_batch_size", "64", "epochs", "5",
        "mlp_activation", "linear");
    List<PairExample> examples = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      // Labels of mean 0, so the regression head's starting value leaves the error huge.
      examples.add(new PairExample(new int[] {i}, new int[] {i + 1}, i % 2 == 0 ? 1e17 : -1e17));
    }
    PairDataset train = TrainingFixtures.dataset(hp, examples);
    Path model = tmp.resolve("model");
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> TrainingFixtures.train(
                hp, new TrainingData(train, Optional.empty(), Optional.empty()), model));
    assertTrue(e.getMessage().matches(".*at epoch [1-4], batch 1.*"), e.getMessage());
    assertTrue(Files.exists(model.resolve("checkpoints/latest.json")), "checkpoint kept");
  }

  @Test
  void regressionTrainingStartsFromTheTrainingLabelsMean() throws IOException {
    // A learning rate too small to move anything: the model predicts what it started with. A
    // wide pooled encoder keeps small token vectors, so the random network adds little.
    Hyperparameters hp = TrainingFixtures.hp("output_layer", "mean_squared_error",
        "optimizer", "sgd", "learning_rate", "0.000001", "mini_batch_size", "32", "epochs", "1",
        "enc_dim", Integer.toString(LayerDefaultInitialisation.WIDE_POOLED));
    List<PairExample> examples = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < 64; i++) {
      double label = 3 + (i % 5) * 0.5;
      sum += label;
      examples.add(new PairExample(new int[] {i % 10}, new int[] {(i + 3) % 10}, label));
    }
    PairDataset train = TrainingFixtures.dataset(hp, examples);
    Path model = tmp.resolve("model");
    TrainingFixtures.train(hp, new TrainingData(train, Optional.empty(), Optional.empty()), model);
    float mean = (float) (sum / examples.size());
    float[] predicted = predictions(model, train);
    double average = 0;
    for (float p : predicted) {
      average += p / predicted.length;
    }
    // The random network adds a small spread around the head's starting value.
    assertEquals(mean, average, 0.5, "average untrained prediction vs label mean " + mean);
  }

  private static float[] predictions(Path modelDir, PairDataset data) throws IOException {
    try (TrainedModel model = TrainedModel.load(modelDir, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      dev.o2v.core.batch.Batch batch =
          new dev.o2v.core.batch.BatchAssembler(data)
              .assemble(dev.o2v.core.batch.EpochPlan.inOrder(data.size(), data.size()), 0);
      NDList inputs = BatchTensors.inputs(m, batch);
      return model.block().score(model.newParameterStore(), inputs).toFloatArray();
    }
  }

  /** Stands for a process killed at the start of an epoch. */
  static final class SimulatedCrash extends RuntimeException {}

  private record CrashingListener(int epoch) implements ProgressListener {
    @Override
    public void epochStarted(int e, int totalEpochs, long totalRecords) {
      if (e == epoch) {
        throw new SimulatedCrash();
      }
    }

    @Override
    public void batchDone(long recordsDone, double meanLoss) {}

    @Override
    public void epochFinished() {}
  }

}
