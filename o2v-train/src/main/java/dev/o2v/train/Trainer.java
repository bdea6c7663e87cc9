package dev.o2v.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.o2v.core.batch.Batch;
import dev.o2v.core.batch.BatchAssembler;
import dev.o2v.core.batch.BatchPlanner;
import dev.o2v.core.batch.EpochPlan;
import dev.o2v.core.batch.Seeds;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.data.DatasetSummary;
import dev.o2v.core.data.TokenRecurrence;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.OutputLayer;
import dev.o2v.encoders.ModelSummary;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.metrics.Metric;
import dev.o2v.train.metrics.MetricLines;
import dev.o2v.train.metrics.MetricSummary;
import dev.o2v.train.model.CheckpointStore;
import dev.o2v.train.model.LayerDefaultInitialisation;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.ModelManifest;
import dev.o2v.train.model.ModelWriter;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.optim.AdamKernelWarmUp;
import dev.o2v.train.optim.OptimizerFactory;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.progress.ProgressListener;
import dev.o2v.train.runtime.NoGradScope;
import dev.o2v.train.runtime.StepThreads;
import dev.o2v.train.runtime.Versions;
import dev.o2v.train.stopping.EarlyStopping;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an Object2Vec model: the epoch loop, evaluation, early stopping, checkpoints and the
 * final model directory.
 *
 * <p>Reproducibility: every random choice derives from the seed — weight initialisation, each
 * epoch's shuffle and negatives (by epoch number), and each epoch's dropout masks (the engine RNG
 * is reseeded at the start of every epoch). A run resumed from a checkpoint therefore continues
 * exactly as the uninterrupted run would have.
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final long INIT_STREAM = -1;
  private static final long DROPOUT_STREAM = 1L << 40;

  private final Hyperparameters hp;
  private final TrainingData data;
  private final TrainingOptions options;
  private final MetricLines metricLines;
  private final ProgressListener progress;
  private final String hpJson;
  /** The network's parts, known once it is built. */
  private NetworkFacts network;

  public Trainer(
      Hyperparameters hp,
      TrainingData data,
      TrainingOptions options,
      MetricLines metricLines,
      ProgressListener progress) {
    this.hp = hp;
    this.data = data;
    this.options = options;
    this.metricLines = metricLines;
    this.progress = progress;
    this.hpJson = HyperparameterCodec.toCanonicalJson(hp);
  }

  /**
   * Runs training to the end and writes the model directory; returns the history. Any thread may
   * call it: PyTorch's grad mode is thread-local (off on the thread that loaded the engine, on
   * everywhere else), so the run switches it off for its thread, as on the engine's own, and each
   * step's gradient collector switches it on for forward and backward only. Otherwise weights
   * loaded into the network (the best epoch's at the end, a checkpoint's on resume) would be
   * in-place writes to arrays that require gradient, which the engine refuses.
   */
  public TrainingHistory run() throws IOException {
    try (NoGradScope noGrad = NoGradScope.enter();
        StepThreads.Scope threads = StepThreads.enter(hp)) {
      if (threads.lowered()) {
        LOG.info("libtorch runs this network's operations on 1 thread of {}: they are all small",
            threads.configured());
      }
      return runWithGradModeOff();
    }
  }

  private TrainingHistory runWithGradModeOff() throws IOException {
    AdamKernelWarmUp.startFor(hp); // beside the building of large tables, where it pays
    AuxiliaryFiles.check(hp, options.auxDir(), LOG::warn);
    CheckpointStore checkpoints = new CheckpointStore(options.modelDir());
    checkpoints.prepare();
    try (NDManager manager = NDManager.newBaseManager(options.device())) {
      Engine.getInstance().setRandomSeed(engineSeed(INIT_STREAM));
      // A resumed run overwrites every weight from its checkpoint: no random tables first.
      Object2VecBlock block =
          options.resume() && checkpoints.hasLatest()
              ? TrainedModel.newBlockForLoading(hp, manager)
              : TrainedModel.newInitializedBlock(hp, recurrence(), manager);
      options.auxDir().ifPresent(block::applyPretrainedEmbeddings);
      if (hp.outputLayer() == OutputLayer.MEAN_SQUARED_ERROR) {
        float mean = data.train().size() == 0
            ? 0f : (float) DatasetSummary.LabelStats.of(data.train()).mean();
        block.head().startAt(mean);
        LOG.info("regression head starts at the training labels' mean, {}", mean);
      }
      ModelSummary summary =
          ModelSummary.of(block, hp.miniBatchSize(), hp.enc0().maxSeqLen(), hp.enc1().maxSeqLen());
      LOG.info("model:\n{}", summary);
      network = NetworkFacts.of(summary);
      try (TrainingOptimizer optimizer =
          OptimizerFactory.create(hp.optimizer(), hp.learningRate(), hp.weightDecay())) {
        TrainingState state = startingState(checkpoints, block, optimizer, manager);
        prepareOptimizerState(block, optimizer);
        EarlyStopping stopping =
            new EarlyStopping(hp.earlyStoppingPatience(), hp.earlyStoppingTolerance());
        try {
          stopping.restore(state.stopping());
        } catch (IllegalArgumentException e) {
          throw new ModelFormatException(checkpoints.directory(), e.getMessage(), e);
        }
        // A run resumed after its stopping epoch (killed while writing the model) trains no more.
        boolean stop = state.stopping().stopped();
        for (int epoch = state.epochsDone(); epoch < hp.epochs() && !stop; epoch++) {
          EpochOutcome outcome =
              runEpoch(epoch, state, stopping, block, optimizer, manager, checkpoints);
          state = outcome.state();
          stop = outcome.decision().stop();
        }
        StopReason reason = stop ? StopReason.EARLY_STOPPING : StopReason.COMPLETED_EPOCHS;
        return finish(state, reason, block, manager, checkpoints);
      }
    }
  }

  /** How often the training split's tokens recur, which decides how hcnn networks start. */
  private TokenRecurrence recurrence() {
    TokenRecurrence recurrence = LayerDefaultInitialisation.recurrenceFor(hp, data.train());
    for (int table = 0; table < (hp.tiedTokenEmbedding() ? 1 : 2); table++) {
      if (!Double.isNaN(recurrence.of(table))) {
        LOG.info("token table {}: a training token recurs {} times on average", table,
            String.format(Locale.ROOT, "%.1f", recurrence.of(table)));
      }
    }
    LOG.info("initial weights: {}", LayerDefaultInitialisation.appliesTo(hp, recurrence)
        ? "PyTorch's layer defaults (unit-variance token vectors, dense layers in ±1/√fan_in)"
        : "the layers' own (token vectors N(0, 1/√D))");
    return recurrence;
  }

  private TrainingState startingState(
      CheckpointStore checkpoints,
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      NDManager manager)
      throws IOException {
    if (options.resume()) {
      Optional<TrainingState> restored =
          checkpoints.restore(block, optimizer, manager, hpJson, options.seed());
      if (restored.isPresent()) {
        LOG.info("resuming after epoch {} from {}", restored.get().lastEpoch(),
            checkpoints.directory());
        return restored.get();
      }
      LOG.warn("--resume: no checkpoint in {}; starting from epoch 0", checkpoints.directory());
    } else {
      checkpoints.clear();
    }
    return TrainingState.fresh();
  }

  /**
   * Creates the optimizer's state of every weight that can learn before the first epoch starts,
   * so that the epoch's time (and its {@code #throughput_metric}) is training: for a table of
   * millions of rows the state's allocation and first touch take seconds. They run on all of the
   * engine's threads, also for a network whose steps run on one ({@link StepThreads}). A table
   * whose every row is frozen never gets state, as before.
   */
  private static void prepareOptimizerState(Object2VecBlock block, TrainingOptimizer optimizer) {
    long start = System.nanoTime();
    StepThreads.onEngineThreads(() -> {
      for (Pair<String, Parameter> entry : block.getParameters()) {
        if (!everyRowFrozen(block, entry.getValue())) {
          optimizer.prepareState(entry.getKey(), entry.getValue().getArray());
        }
      }
    });
    LOG.info("{}", String.format(Locale.ROOT, "optimizer state ready in %.1f s",
        (System.nanoTime() - start) / 1e9));
  }

  private static boolean everyRowFrozen(Object2VecBlock block, Parameter parameter) {
    for (int side = 0; side < 2; side++) {
      TokenEmbedding table = block.tokenEmbedding(side);
      if (table.table() == parameter && table.frozenRowCount() == table.vocabSize()) {
        return true;
      }
    }
    return false;
  }

  /** The state after an epoch and the early-stopping decision it led to. */
  private record EpochOutcome(TrainingState state, EarlyStopping.Decision decision) {}

  private EpochOutcome runEpoch(
      int epoch,
      TrainingState state,
      EarlyStopping stopping,
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      NDManager manager,
      CheckpointStore checkpoints)
      throws IOException {
    EpochPlan plan = BatchPlanner.forTraining(data.train(), hp, options.seed()).plan(epoch);
    // Dropout streams are numbered from 1, so a seed trains the same model as before epochs
    // were numbered from 0.
    Engine.getInstance().setRandomSeed(engineSeed(DROPOUT_STREAM + epoch + 1));
    long start = System.nanoTime();
    EvaluationResult train = trainOneEpoch(epoch, plan, block, optimizer, manager, checkpoints);
    double seconds = (System.nanoTime() - start) / 1e9;
    double throughput = plan.pairCount() / Math.max(seconds, 1e-9);
    OutputLayer output = hp.outputLayer();
    metricLines.epoch(epoch, "train", train.metrics(output));

    Optional<EvaluationResult> validation =
        data.validation().map(v -> new Evaluator(block, hp.miniBatchSize()).evaluate(v, manager));
    validation.ifPresent(v -> metricLines.epoch(epoch, "validation", v.metrics(output)));
    LOG.info("{}", String.format(Locale.ROOT, "epoch %d: train %s%s (%.1f s, %.1f records/s)",
        epoch, MetricSummary.of(train.scores(output)),
        validation.map(v -> "; validation " + MetricSummary.of(v.scores(output))).orElse(""),
        seconds, throughput));
    double stoppingLoss = validation.orElse(train).meanLoss();
    EarlyStopping.Decision decision = stopping.observe(epoch, stoppingLoss);
    metricLines.progress(epoch, hp.epochs(), decision.stop());
    metricLines.throughput(throughput);

    EpochRecord record =
        new EpochRecord(
            epoch,
            named(train.metrics(output)),
            validation.map(v -> named(v.metrics(output))).orElse(Map.of()),
            throughput,
            seconds,
            decision.newBest());
    String best = decision.newBest() ? checkpoints.saveBest(block, epoch) : state.bestParameters();
    TrainingState next =
        new TrainingState(epoch + 1, stopping.state(),
            state.history().plus(record, decision.bestEpoch()), best);
    checkpoints.save(next, block, optimizer, hpJson, options.seed());
    return new EpochOutcome(next, decision);
  }

  private EvaluationResult trainOneEpoch(
      int epoch,
      EpochPlan plan,
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      NDManager manager,
      CheckpointStore checkpoints) {
    BatchAssembler assembler = new BatchAssembler(data.train());
    EvaluationResult sums = new EvaluationResult(0, 0, 0);
    progress.epochStarted(epoch, hp.epochs(), plan.pairCount());
    try (TrainingStep step = TrainingStep.create(hp, block, optimizer, manager)) {
      for (int b = 0; b < plan.batchCount(); b++) {
        Batch batch = assembler.assemble(plan, b);
        StepOutcome outcome = step.run(batch);
        if (!Double.isFinite(outcome.meanLoss())) {
          throw new TrainingDivergedException(
              epoch, b + 1, outcome.meanLoss(), "kept the last complete checkpoint in "
                  + checkpoints.directory());
        }
        sums = sums.plus(batch.size(), outcome.meanLoss() * batch.size(), outcome.correct());
        progress.batchDone(sums.records(), sums.meanLoss());
      }
    }
    progress.epochFinished();
    return sums;
  }

  private TrainingHistory finish(
      TrainingState state,
      StopReason reason,
      Object2VecBlock block,
      NDManager manager,
      CheckpointStore checkpoints)
      throws IOException {
    // After the last epoch the block holds that epoch's weights: when it is the best, they are
    // the best file's content already, and reading gigabytes of table back would change nothing.
    if (state.stopping().bestEpoch() != state.lastEpoch()) {
      try {
        checkpoints.loadBest(block, manager, state);
      } catch (ai.djl.MalformedModelException e) {
        throw new IllegalStateException("best weights unreadable: " + e.getMessage(), e);
      }
    }
    LOG.info("{} after epoch {}; the model is epoch {}'s (loss {})",
        reason == StopReason.EARLY_STOPPING ? "stopped early" : "trained every epoch",
        state.lastEpoch(), state.stopping().bestEpoch(), state.stopping().bestLoss());
    Map<String, Double> testMetrics = Map.of();
    if (data.test().isPresent()) {
      EvaluationResult test =
          new Evaluator(block, hp.miniBatchSize()).evaluate(data.test().get(), manager);
      LOG.info("test: {}", MetricSummary.of(test.scores(hp.outputLayer())));
      metricLines.test(test.scores(hp.outputLayer()), test.metrics(hp.outputLayer()));
      testMetrics = named(test.metrics(hp.outputLayer()));
    }
    TrainingHistory history =
        state.history().finished(reason, testMetrics).withFacts(channelFacts(), network);
    ModelManifest manifest =
        ModelWriter.write(
            options.modelDir(),
            hp,
            checkpoints.bestParameters(state),
            checkpoints.bestParametersDigest(state),
            history,
            options.auxDir(),
            Versions.current());
    LOG.info("model written to {} (best epoch {})", options.modelDir(), manifest.bestEpoch());
    return history;
  }

  /** What each channel held, for the training report. */
  private Map<String, ChannelFacts> channelFacts() {
    Map<String, ChannelFacts> facts = new LinkedHashMap<>();
    facts.put("train", ChannelFacts.of(data.train()));
    data.validation().ifPresent(v -> facts.put("validation", ChannelFacts.of(v)));
    data.test().ifPresent(t -> facts.put("test", ChannelFacts.of(t)));
    return facts;
  }

  private static Map<String, Double> named(Map<Metric, Double> metrics) {
    Map<String, Double> named = new LinkedHashMap<>();
    metrics.forEach((metric, value) -> named.put(metric.metricName(), value));
    return named;
  }

  private int engineSeed(long stream) {
    return (int) Seeds.derive(options.seed(), stream);
  }
}
