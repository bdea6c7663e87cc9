package dev.o2v.train.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.TrainingState;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.stopping.EarlyStopping;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints of a training run, in {@code MODEL_DIR/checkpoints/}.
 *
 * <p>After every epoch a complete checkpoint ({@code epoch-NNNN.ckpt}: training state, weights,
 * optimizer state) is written atomically, and then {@code latest.json} is switched to it
 * atomically. A run killed at any moment therefore leaves a {@code latest.json} that names a
 * complete checkpoint, or none at all. The best epoch's weights are kept beside it in {@code
 * best-epoch-NNNN.params}. Older files are deleted only after the new pointer is in place.
 *
 * <p>Epochs are numbered from 0; {@code epoch-NNNN.ckpt} holds the state after epoch NNNN and
 * {@code latest.json} names it with {@code "epoch": NNNN}.
 *
 * <p>Checkpoint file, version 2: int magic {@code "O2VC"}, int version, bytes canonical
 * hyperparameter JSON, long seed, int epochs done, the early-stopping state (int epochs seen, int
 * count and that many doubles of recent losses, int bad epochs, int best epoch, double best loss,
 * boolean stopped), UTF best-parameters file name, bytes history JSON, the block's parameters,
 * the optimizer state ("bytes" = int length + content). Version 1, written before epochs were
 * numbered from 0 and before the early-stopping rule compared with a window of previous losses,
 * is refused with a message that says to train again. Temporary files left by a killed run are
 * deleted with the old checkpoints.
 */
public final class CheckpointStore {

  static final int MAGIC = 0x4F32_5643; // "O2VC"
  static final int VERSION = 2;
  /** The format that counted epochs from 1 and kept a different early-stopping state. */
  private static final int VERSION_BEFORE_EPOCHS_FROM_ZERO = 1;
  private static final String LATEST = "latest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Direct buffer for the small fields; arrays are read past it, straight from the file. */
  private static final int READ_BUFFER_BYTES = 1 << 20;

  private final Path dir;

  /** The checkpoint store of a model directory. */
  public CheckpointStore(Path modelDir) {
    this.dir = modelDir.resolve("checkpoints");
  }

  /** The directory holding the checkpoints. */
  public Path directory() {
    return dir;
  }

  /**
   * Creates the checkpoint directory, so that a model directory that cannot be written fails
   * before any training time is spent rather than at the first checkpoint.
   */
  public void prepare() throws IOException {
    Files.createDirectories(dir);
  }

  /**
   * Whether a latest checkpoint is recorded, so that {@link #restore} will load one (or fail on a
   * broken one) rather than return empty.
   */
  public boolean hasLatest() {
    return Files.exists(dir.resolve(LATEST));
  }

  /** Deletes every checkpoint, for a run that starts afresh. */
  public void clear() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Writes the weights of the best epoch so far; returns the file name for the state. */
  public String saveBest(Object2VecBlock block, int epoch) throws IOException {
    String name = String.format(Locale.ROOT, "best-epoch-%04d.params", epoch);
    AtomicFiles.write(dir.resolve(name), out -> block.saveParameters(BulkDataOutput.wrap(out)));
    return name;
  }

  /** The path of the best weights a state refers to. */
  public Path bestParameters(TrainingState state) {
    return dir.resolve(state.bestParameters());
  }

  /** Writes a complete checkpoint for {@code state} and makes it the latest. */
  public void save(
      TrainingState state,
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      String hyperparametersJson,
      long seed)
      throws IOException {
    String name = String.format(Locale.ROOT, "epoch-%04d.ckpt", state.lastEpoch());
    AtomicFiles.write(
        dir.resolve(name),
        raw -> {
          DataOutputStream out = BulkDataOutput.wrap(raw);
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          writeBytes(out, hyperparametersJson.getBytes(StandardCharsets.UTF_8));
          out.writeLong(seed);
          out.writeInt(state.epochsDone());
          writeStopping(out, state.stopping());
          out.writeUTF(state.bestParameters());
          writeBytes(out, state.history().toJson());
          block.saveParameters(out);
          optimizer.saveState(out);
          out.flush();
        });
    AtomicFiles.write(
        dir.resolve(LATEST),
        JSON.writeValueAsBytes(Map.of("epoch", state.lastEpoch(), "checkpoint", name)));
    deleteAllBut(name, state.bestParameters());
  }

  /**
   * Restores the latest complete checkpoint into {@code block} and {@code optimizer}.
   *
   * @return the state to continue from, or empty when there is no checkpoint
   * @throws ModelFormatException when the checkpoint is unreadable or belongs to other settings
   */
  public Optional<TrainingState> restore(
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      NDManager manager,
      String hyperparametersJson,
      long seed)
      throws IOException {
    Path latest = dir.resolve(LATEST);
    String name;
    try {
      name = JSON.readTree(Files.readAllBytes(latest)).path("checkpoint").asText("");
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Path file = dir.resolve(name);
    if (name.isEmpty() || !Files.isRegularFile(file)) {
      throw new ModelFormatException(latest, "names a missing checkpoint '" + name + "'");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        DataInputStream in = BulkDataInput.fromFile(file, channel, READ_BUFFER_BYTES)) {
      if (in.readInt() != MAGIC) {
        throw new ModelFormatException(file, "not an o2v checkpoint");
      }
      int version = in.readInt();
      if (version == VERSION_BEFORE_EPOCHS_FROM_ZERO) {
        throw new ModelFormatException(file, "was written by an earlier o2v (checkpoint format 1:"
            + " epochs counted from 1, another early-stopping rule) and cannot be resumed;"
            + " train again without --resume");
      }
      if (version != VERSION) {
        throw new ModelFormatException(file, "unsupported checkpoint version " + version);
      }
      String savedHp = new String(readBytes(in), StandardCharsets.UTF_8);
      if (!sameHyperparameters(file, savedHp, hyperparametersJson)) {
        throw new ModelFormatException(
            file, "was written with other hyperparameters; --resume needs the same ones");
      }
      long savedSeed = in.readLong();
      if (savedSeed != seed) {
        throw new ModelFormatException(
            file, "was written with --seed " + savedSeed + "; --resume needs the same seed");
      }
      int epochsDone = in.readInt();
      EarlyStopping.State stopping = readStopping(in);
      String best = in.readUTF();
      TrainingHistory history = TrainingHistory.fromJson(readBytes(in));
      block.loadParameters(manager, in);
      attachGradients(block);
      optimizer.loadState(in, manager);
      return Optional.of(new TrainingState(epochsDone, stopping, history, best));
    } catch (MalformedModelException e) {
      throw new ModelFormatException(file, "unreadable weights: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the recorded hyperparameters mean the same settings as the current ones. They are
   * compared as parsed values, not as text, so a change in how a value is written (or a derived
   * value written before it could be parsed back) does not refuse a resume with the same settings.
   */
  private static boolean sameHyperparameters(Path file, String saved, String current) {
    if (saved.equals(current)) {
      return true;
    }
    Hyperparameters recorded;
    try {
      recorded = HyperparameterCodec.parseRecorded(saved);
    } catch (HyperparameterException e) {
      throw new ModelFormatException(
          file, "records hyperparameters that do not parse: " + e.getMessage().replace('\n', ' '),
          e);
    }
    return recorded.equals(HyperparameterCodec.parseRecorded(current));
  }

  /**
   * Makes every trainable parameter record gradients again. Loading replaces a parameter's array
   * with a freshly decoded one that records none, so without this a resumed run would silently
   * train only the parameters whose blocks load in place.
   */
  private static void attachGradients(Object2VecBlock block) {
    for (Pair<String, Parameter> entry : block.getParameters()) {
      Parameter parameter = entry.getValue();
      if (parameter.requiresGradient() && !parameter.getArray().hasGradient()) {
        parameter.getArray().setRequiresGradient(true);
      }
    }
  }

  private void deleteAllBut(String checkpoint, String best) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        // A run killed while writing leaves its temporary file behind; as big as a checkpoint,
        // they would pile up over crashes. Only one run writes a model directory at a time.
        boolean stale = name.startsWith(".") && name.endsWith(".tmp");
        boolean ours = name.endsWith(".ckpt") || name.endsWith(".params") || stale;
        if (ours && !name.equals(checkpoint) && !name.equals(best)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static void writeStopping(DataOutputStream out, EarlyStopping.State stopping)
      throws IOException {
    out.writeInt(stopping.epochsSeen());
    out.writeInt(stopping.recentLosses().size());
    for (double loss : stopping.recentLosses()) {
      out.writeDouble(loss);
    }
    out.writeInt(stopping.badEpochs());
    out.writeInt(stopping.bestEpoch());
    out.writeDouble(stopping.bestLoss());
    out.writeBoolean(stopping.stopped());
  }

  private static EarlyStopping.State readStopping(DataInputStream in) throws IOException {
    int epochsSeen = in.readInt();
    int count = in.readInt();
    // early_stopping_patience is at most a few epochs; anything large is a corrupt file.
    if (count < 0 || count > 1000) {
      throw new IOException("corrupt checkpoint: " + count + " recent losses");
    }
    List<Double> recent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      recent.add(in.readDouble());
    }
    return new EarlyStopping.State(
        epochsSeen, recent, in.readInt(), in.readInt(), in.readDouble(), in.readBoolean());
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (64 << 20)) {
      throw new IOException("corrupt checkpoint: field of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
