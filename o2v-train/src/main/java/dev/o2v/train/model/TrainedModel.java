package dev.o2v.train.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.o2v.core.data.TokenRecurrence;
import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.encoders.TokenEmbedding;
import dev.o2v.train.HostTensors;
import dev.o2v.train.runtime.MklProcessorCheck;
import dev.o2v.train.runtime.NoGradScope;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A model loaded from a model directory, ready for inference: the hyperparameters, the network
 * with its trained weights, and the native memory that holds them (freed by {@link #close}).
 */
public final class TrainedModel implements AutoCloseable {

  private final Path directory;
  private final ModelManifest manifest;
  private final Hyperparameters hyperparameters;
  private final NDManager manager;
  private final Object2VecBlock block;

  private TrainedModel(
      Path directory,
      ModelManifest manifest,
      Hyperparameters hyperparameters,
      NDManager manager,
      Object2VecBlock block) {
    this.directory = directory;
    this.manifest = manifest;
    this.hyperparameters = hyperparameters;
    this.manager = manager;
    this.block = block;
  }

  /**
   * Loads and checks a model directory. Any thread may load, any number of times: grad mode,
   * which is thread-local and on for every thread but the one that started the engine, is off
   * while the weights are written into their tables.
   *
   * @throws ModelFormatException when the directory is not a complete model of a known version
   */
  public static TrainedModel load(Path directory, Device device) throws IOException {
    ModelManifest manifest = ModelManifest.readFrom(directory);
    Path hpFile = manifest.path(directory, ModelFiles.HYPERPARAMETERS);
    Hyperparameters hp;
    try {
      hp = HyperparameterCodec.parseFile(hpFile);
    } catch (HyperparameterException e) {
      throw new ModelFormatException(hpFile, "invalid hyperparameters: " + e.getMessage(), e);
    }
    NDManager manager = NDManager.newBaseManager(device);
    try (NoGradScope noGrad = NoGradScope.enter()) {
      Object2VecBlock block = newBlockForLoading(hp, manager);
      Path params = manifest.path(directory, ModelFiles.PARAMETERS);
      try (FileChannel channel = FileChannel.open(params, StandardOpenOption.READ);
          BulkDataInput in = BulkDataInput.fromFile(params, channel, 1 << 20)) {
        block.loadParameters(manager, in);
      } catch (MalformedModelException e) {
        throw new ModelFormatException(params, "unreadable weights: " + e.getMessage(), e);
      }
      block.freezeWeights(); // loaded for inference: its weights never change
      return new TrainedModel(directory, manifest, hp, manager, block);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * A freshly initialised network for {@code hp} whose arrays live in {@code manager}, drawn for
   * training data whose tokens recur as {@code recurrence} says ({@link LayerDefaultInitialisation}).
   */
  public static Object2VecBlock newInitializedBlock(
      Hyperparameters hp, TokenRecurrence recurrence, NDManager manager) {
    Object2VecBlock block = newBlock(hp);
    LayerDefaultInitialisation.chooseTableDraws(block, hp, recurrence);
    initialize(block, hp, manager);
    LayerDefaultInitialisation.apply(block, hp, recurrence, manager);
    return block;
  }

  /** An uninitialised network for {@code hp}, bound to this engine's token matrices. */
  private static Object2VecBlock newBlock(Hyperparameters hp) {
    Object2VecBlock block = new Object2VecBlock(hp);
    block.useTokenMatrices(HostTensors::sparseCounts);
    return block;
  }

  /** A freshly initialised network for {@code hp}, with no training data known. */
  public static Object2VecBlock newInitializedBlock(Hyperparameters hp, NDManager manager) {
    return newInitializedBlock(hp, TokenRecurrence.UNKNOWN, manager);
  }

  /**
   * A network for {@code hp} whose token tables are allocated but not filled, to load saved
   * weights into: the load overwrites every table row, so filling multi-GB tables with random
   * numbers first would be wasted time. The other (small) parameters are initialised as usual.
   */
  public static Object2VecBlock newBlockForLoading(Hyperparameters hp, NDManager manager) {
    Object2VecBlock block = newBlock(hp);
    for (int side = 0; side < 2; side++) {
      block.tokenEmbedding(side).table().setInitializer(TokenEmbedding.UNFILLED);
    }
    return initialize(block, hp, manager);
  }

  private static Object2VecBlock initialize(
      Object2VecBlock block, Hyperparameters hp, NDManager manager) {
    MklProcessorCheck.beforeFirstMatrixProduct();
    Shape batch = new Shape(1);
    block.initialize(
        manager,
        DataType.FLOAT32,
        new Shape(1, hp.enc0().maxSeqLen()),
        batch,
        new Shape(1, hp.enc1().maxSeqLen()),
        batch);
    return block;
  }

  public Path directory() {
    return directory;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /**
   * What id 0 means to this model, from its format version: inference and evaluation apply it
   * so that a model of an older version keeps the meaning it was trained with.
   */
  public ZeroIdRule zeroIds() {
    return manifest.zeroIds();
  }

  public Hyperparameters hyperparameters() {
    return hyperparameters;
  }

  public Object2VecBlock block() {
    return block;
  }

  /** The manager holding the weights; inference creates per-batch sub-managers of it. */
  public NDManager manager() {
    return manager;
  }

  /** A parameter store over the loaded weights (create one per thread). */
  public ParameterStore newParameterStore() {
    return new ParameterStore(manager, false);
  }

  /** The vocabulary file copied into the model directory for {@code side}, if any. */
  public Optional<Path> vocabularyFile(int side) {
    String role = ModelFiles.VOCAB_PREFIX + side;
    return manifest.files().containsKey(role)
        ? Optional.of(manifest.path(directory, role))
        : Optional.empty();
  }

  /** The tokenizer description copied into the model directory, if the aux dir had one. */
  public Optional<Path> tokenizerFile() {
    return manifest.files().containsKey(ModelFiles.TOKENIZER)
        ? Optional.of(manifest.path(directory, ModelFiles.TOKENIZER))
        : Optional.empty();
  }

  @Override
  public void close() {
    manager.close();
  }
}
