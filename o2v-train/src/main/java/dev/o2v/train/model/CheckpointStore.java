package dev.o2v.train.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.io.BulkDataInput;
import dev.o2v.core.io.BulkDataOutput;
import dev.o2v.encoders.Object2VecBlock;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.TrainingState;
import dev.o2v.train.optim.TrainingOptimizer;
import dev.o2v.train.stopping.EarlyStopping;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
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
 * <p>Checkpoint file, version 3: int magic {@code "O2VC"}, int version, bytes canonical
 * hyperparameter JSON, long seed, int epochs done, the early-stopping state (int epochs seen, int
 * count and that many doubles of recent losses, int bad epochs, int best epoch, double best loss,
 * boolean stopped), UTF best-parameters file name, boolean "weights in the best file", bytes
 * history JSON, the block's parameters unless they are in the best file, the optimizer state
 * ("bytes" = int length + content). An epoch that is the best so far has just written its
 * weights as the best parameters, so its checkpoint refers to that file instead of holding a
 * second copy (for a table of 3,000,000 × 128, 1.5 GB less to write every improving epoch).
 * Version 2 always held the weights and had no such flag; it is still read. Version 1, written
 * before epochs were numbered from 0 and before the early-stopping rule compared with a window of
 * previous losses, is refused with a message that says to train again. Temporary files left by a
 * killed run are deleted with the old checkpoints.
 *
 * <p>{@code latest.json} also lists the size and CRC-32C of the checkpoint and of the best
 * weights, as a model manifest does; a resume checks them before reading anything, so a damaged
 * or truncated file is named instead of loading into a wrong model. Only the latest checkpoint is
 * kept, so a damaged one cannot fall back to an earlier epoch.
 */
public final class CheckpointStore {

  static final int MAGIC = 0x4F32_5643; // "O2VC"
  static final int VERSION = 3;
  /** The format whose checkpoints always held the weights; still read. */
  private static final int VERSION_WEIGHTS_ALWAYS_INSIDE = 2;
  /** The format that counted epochs from 1 and kept a different early-stopping state. */
  private static final int VERSION_BEFORE_EPOCHS_FROM_ZERO = 1;
  private static final String LATEST = "latest.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The one hyperparameter a resumed run may change: more epochs continue a finished run. */
  private static final String EPOCHS_KEY = "epochs";
  private static final String NO_FALLBACK =
      "; no earlier checkpoint is kept, so this run cannot be resumed"
          + " (train afresh with --overwrite)";

  /** Direct buffer for the small fields; arrays are read past it, straight from the file. */
  private static final int READ_BUFFER_BYTES = 1 << 20;
  private static final TypeReference<Map<String, Object>> STRING_MAP = new TypeReference<>() {};
  /** Names this store gives its files; {@code latest.json} may name no others. */
  static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-\\d{4,}\\.ckpt");
  static final Pattern BEST_NAME = Pattern.compile("best-epoch-\\d{4,}\\.params");

  private final Path dir;
  /** Digests of files this store wrote or verified, so the best weights are read only once. */
  private final Map<String, ModelManifest.FileEntry> digests = new HashMap<>();

  /**
   * What the latest checkpoint was written with, read after its integrity check.
   *
   * @param file the checkpoint file
   * @param hyperparametersJson the canonical hyperparameters of the run that wrote it
   * @param seed the seed of that run
   * @param epochsDone how many epochs it has trained
   * @param version its format version
   */
  public record Header(
      Path file, String hyperparametersJson, long seed, int epochsDone, int version) {}

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
    String name = bestName(epoch);
    AtomicFiles.Written written = AtomicFiles.write(
        dir.resolve(name), out -> block.saveParameters(BulkDataOutput.wrap(out)));
    digests.put(name, ModelManifest.FileEntry.of(name, written));
    return name;
  }

  /** The path of the best weights a state refers to. */
  public Path bestParameters(TrainingState state) {
    return dir.resolve(state.bestParameters());
  }

  /**
   * The size and CRC-32C of the best weights a state refers to, when this store wrote or checked
   * that file (and so knows them without reading it).
   */
  public Optional<ModelManifest.FileEntry> bestParametersDigest(TrainingState state) {
    return Optional.ofNullable(digests.get(state.bestParameters()));
  }

  /** Loads the best weights a state refers to into {@code block}. */
  public void loadBest(Object2VecBlock block, NDManager manager, TrainingState state)
      throws IOException, MalformedModelException {
    readParameters(block, manager, bestParameters(state));
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
    // This epoch's weights are already on disk when it is the best so far: saveBest wrote them.
    boolean weightsInBest = state.bestParameters().equals(bestName(state.lastEpoch()))
        && digests.containsKey(state.bestParameters());
    AtomicFiles.Written written = AtomicFiles.write(
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
          out.writeBoolean(weightsInBest);
          writeBytes(out, state.history().toJson());
          if (!weightsInBest) {
            block.saveParameters(out);
          }
          optimizer.saveState(out);
          out.flush();
        });
    List<ModelManifest.FileEntry> files = new ArrayList<>();
    files.add(ModelManifest.FileEntry.of(name, written));
    String best = state.bestParameters();
    if (!best.isEmpty() && Files.isRegularFile(dir.resolve(best))) {
      ModelManifest.FileEntry entry = digests.get(best);
      files.add(entry != null ? entry : ModelManifest.FileEntry.of(dir, best));
    }
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("epoch", state.lastEpoch());
    latest.put("checkpoint", name);
    latest.put("files", files);
    AtomicFiles.write(dir.resolve(LATEST), JSON.writeValueAsBytes(latest));
    digests.keySet().retainAll(Set.of(best));
    deleteAllBut(name, best);
  }

  /**
   * Checks the latest checkpoint's files against the sizes and checksums in {@code latest.json}
   * and reads what it was written with.
   *
   * @return empty when there is no checkpoint
   * @throws ModelFormatException naming the damaged, missing or foreign file
   */
  public Optional<Header> verifyLatest() throws IOException {
    Optional<Path> file = verifiedCheckpoint();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file.get(), StandardOpenOption.READ);
        DataInputStream in = BulkDataInput.fromFile(file.get(), channel, READ_BUFFER_BYTES)) {
      return Optional.of(readHeader(file.get(), in));
    }
  }

  /**
   * The hyperparameters whose values differ between two canonical hyperparameter JSON objects,
   * in key order, leaving out {@code epochs}, which a resumed run may raise. Both are parsed and
   * written again first, so settings written differently (or by an older o2v) compare as the
   * settings they mean.
   */
  public static List<String> differingKeys(String savedJson, String currentJson)
      throws IOException {
    Map<String, Object> saved = new TreeMap<>(JSON.readValue(normalized(savedJson), STRING_MAP));
    Map<String, Object> current =
        new TreeMap<>(JSON.readValue(normalized(currentJson), STRING_MAP));
    Set<String> keys = new TreeSet<>(saved.keySet());
    keys.addAll(current.keySet());
    keys.remove(EPOCHS_KEY);
    List<String> differing = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(saved.get(key), current.get(key))) {
        differing.add(key);
      }
    }
    return differing;
  }

  private static String normalized(String hyperparametersJson) {
    try {
      return HyperparameterCodec.toCanonicalJson(
          HyperparameterCodec.parseRecorded(hyperparametersJson));
    } catch (HyperparameterException e) {
      throw new ModelFormatException(
          Path.of(LATEST),
          "records hyperparameters that do not parse: " + e.getMessage().replace('\n', ' '),
          e);
    }
  }

  /**
   * Restores the latest complete checkpoint into {@code block} and {@code optimizer}, after
   * checking its files as {@link #verifyLatest} does.
   *
   * @return the state to continue from, or empty when there is no checkpoint
   * @throws ModelFormatException when the checkpoint is damaged or belongs to other settings
   */
  public Optional<TrainingState> restore(
      Object2VecBlock block,
      TrainingOptimizer optimizer,
      NDManager manager,
      String hyperparametersJson,
      long seed)
      throws IOException {
    Optional<Path> verified = verifiedCheckpoint();
    if (verified.isEmpty()) {
      return Optional.empty();
    }
    Path file = verified.get();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        DataInputStream in = BulkDataInput.fromFile(file, channel, READ_BUFFER_BYTES)) {
      Header header = readHeader(file, in);
      List<String> differing = differingKeys(header.hyperparametersJson(), hyperparametersJson);
      if (!differing.isEmpty()) {
        throw new ModelFormatException(file, "was written with other values of "
            + String.join(", ", differing) + "; --resume needs the same hyperparameters");
      }
      if (header.seed() != seed) {
        throw new ModelFormatException(
            file, "was written with --seed " + header.seed() + "; --resume needs the same seed");
      }
      EarlyStopping.State stopping = readStopping(in);
      String best = in.readUTF();
      boolean weightsInBest = header.version() > VERSION_WEIGHTS_ALWAYS_INSIDE && in.readBoolean();
      TrainingHistory history = TrainingHistory.fromJson(readBytes(in));
      if (weightsInBest) {
        loadBestParameters(block, manager, file, best);
      } else {
        block.loadParameters(manager, in);
      }
      attachGradients(block);
      optimizer.loadState(in, manager);
      return Optional.of(new TrainingState(header.epochsDone(), stopping, history, best));
    } catch (MalformedModelException e) {
      throw new ModelFormatException(file, "unreadable weights: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the weights a checkpoint left in its best-parameters file ({@code best}), which {@code
   * latest.json} lists with its checksum, checked before.
   */
  private void loadBestParameters(Object2VecBlock block, NDManager manager, Path checkpoint,
      String best) throws IOException, MalformedModelException {
    if (!BEST_NAME.matcher(best).matches() || !digests.containsKey(best)) {
      throw new ModelFormatException(checkpoint, "keeps its weights in " + best + ", which "
          + LATEST + " does not list" + NO_FALLBACK);
    }
    readParameters(block, manager, dir.resolve(best));
  }

  private static void readParameters(Object2VecBlock block, NDManager manager, Path file)
      throws IOException, MalformedModelException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        DataInputStream in = BulkDataInput.fromFile(file, channel, READ_BUFFER_BYTES)) {
      block.loadParameters(manager, in);
    }
  }

  /** The best-parameters file of epoch {@code epoch}. */
  private static String bestName(int epoch) {
    return String.format(Locale.ROOT, "best-epoch-%04d.params", epoch);
  }

  /**
   * Reads {@code latest.json} and checks every file it lists; returns the checkpoint file, or
   * empty when no checkpoint was recorded.
   */
  private Optional<Path> verifiedCheckpoint() throws IOException {
    Path latest = dir.resolve(LATEST);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(latest));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(latest, "damaged (not valid JSON)" + NO_FALLBACK);
    }
    String name = root == null ? "" : root.path("checkpoint").asText("");
    JsonNode files = root == null ? null : root.get("files");
    if (CHECKPOINT_NAME.matcher(name).matches() && files == null) {
      refuseEarlierFormat(dir.resolve(name));
    }
    if (!CHECKPOINT_NAME.matcher(name).matches() || files == null || !files.isArray()) {
      throw new ModelFormatException(latest, "damaged (it names no checkpoint with its size"
          + " and checksum)" + NO_FALLBACK);
    }
    boolean listsCheckpoint = false;
    for (JsonNode node : files) {
      ModelManifest.FileEntry entry = entryOf(latest, node);
      Path file = dir.resolve(entry.name());
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException(file, "missing" + NO_FALLBACK);
      }
      long size = Files.size(file);
      if (size != entry.bytes()) {
        throw new ModelFormatException(file, "damaged (" + size + " bytes, " + LATEST
            + " says " + entry.bytes() + ")" + NO_FALLBACK);
      }
      String crc = FileDigest.crc32c(file);
      if (!crc.equals(entry.crc32c())) {
        throw new ModelFormatException(file, "damaged (checksum " + crc + ", " + LATEST
            + " says " + entry.crc32c() + ")" + NO_FALLBACK);
      }
      digests.put(entry.name(), entry);
      listsCheckpoint |= entry.name().equals(name);
    }
    if (!listsCheckpoint) {
      throw new ModelFormatException(latest, "damaged (no checksum for " + name + ")"
          + NO_FALLBACK);
    }
    return Optional.of(dir.resolve(name));
  }

  /**
   * A {@code latest.json} without checksums was written before checkpoints had them, by the
   * format that counted epochs from 1: say so when its checkpoint confirms it.
   */
  private static void refuseEarlierFormat(Path checkpoint) throws IOException {
    if (!Files.isRegularFile(checkpoint)) {
      return;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(checkpoint)))) {
      readHeader(checkpoint, in);
    } catch (EOFException e) {
      // Too short to hold a header: damaged, as the caller says.
    }
  }

  private static ModelManifest.FileEntry entryOf(Path latest, JsonNode node) {
    String name = node.path("name").asText("");
    String crc = node.path("crc32c").asText("");
    JsonNode bytes = node.get("bytes");
    boolean ours = CHECKPOINT_NAME.matcher(name).matches() || BEST_NAME.matcher(name).matches();
    if (!ours || bytes == null || !bytes.canConvertToLong() || !crc.matches("[0-9a-f]{8}")) {
      throw new ModelFormatException(latest, "damaged (a file entry is unreadable)"
          + NO_FALLBACK);
    }
    return new ModelManifest.FileEntry(name, bytes.asLong(), crc);
  }

  private static Header readHeader(Path file, DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new ModelFormatException(file, "not an o2v checkpoint");
    }
    int version = in.readInt();
    if (version == VERSION_BEFORE_EPOCHS_FROM_ZERO) {
      throw new ModelFormatException(file, "was written by an earlier o2v (checkpoint format 1:"
          + " epochs counted from 1, another early-stopping rule) and cannot be resumed;"
          + " train again without --resume");
    }
    if (version != VERSION && version != VERSION_WEIGHTS_ALWAYS_INSIDE) {
      throw new ModelFormatException(file, "unsupported checkpoint version " + version);
    }
    String savedHp = new String(readBytes(in), StandardCharsets.UTF_8);
    long savedSeed = in.readLong();
    int epochsDone = in.readInt();
    return new Header(file, savedHp, savedSeed, epochsDone, version);
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
