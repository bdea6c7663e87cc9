package dev.o2v.train.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a directory holds before a training run writes its model there: nothing, an o2v model,
 * the checkpoints of an unfinished run, or files that o2v did not write.
 *
 * <p>Training deletes and replaces files by name (old weights, stale checkpoints, {@code
 * metrics.json}), so it must know that every name it touches is its own. A file counts as o2v's
 * only where o2v's own layout accounts for it: the files a valid manifest lists and the fixed
 * names beside them (the training report among them), checkpoint files under {@code
 * checkpoints/}, the lock file and temporary files. Anything else is foreign and makes the whole
 * directory off limits.
 *
 * @param kind what the directory is
 * @param foreign the entries o2v did not write, relative to the directory (for {@link
 *     Kind#FOREIGN})
 * @param bestEpoch the best epoch a model's manifest records (for {@link Kind#MODEL})
 * @param modelFiles the file names a model's manifest lists (for {@link Kind#MODEL})
 */
public record ModelDirectoryContents(
    Kind kind, List<String> foreign, int bestEpoch, Set<String> modelFiles) {

  /** The kinds of directory a training run may find. */
  public enum Kind {
    /** Missing, or empty but for files a training run leaves before its first checkpoint. */
    NEW,
    /** A trained o2v model (with or without its checkpoints). */
    MODEL,
    /** The checkpoints of a training run that has not written its model. */
    CHECKPOINTS,
    /** Holds files o2v did not write, or is not a directory at all. */
    FOREIGN
  }

  /** The name of the lock file a training run holds in its model directory. */
  public static final String LOCK_FILE = ".o2v-train.lock";

  private static final String CHECKPOINTS = "checkpoints";
  private static final String LATEST = "latest.json";
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.tmp");
  private static final Pattern PARAMETERS = Pattern.compile("parameters-.+\\.params");
  private static final Set<String> MODEL_NAMES = Set.of(ModelManifest.FILE_NAME,
      ModelFiles.HYPERPARAMETERS_FILE, ModelFiles.METRICS_FILE, ModelFiles.REPORT_FILE);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** At most this many foreign names are listed in a message. */
  private static final int LISTED = 5;

  public ModelDirectoryContents {
    foreign = List.copyOf(foreign);
    modelFiles = Set.copyOf(modelFiles);
  }

  /** Looks at {@code dir} without changing anything. */
  public static ModelDirectoryContents inspect(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return new ModelDirectoryContents(Kind.NEW, List.of(), 0, Set.of());
    }
    if (!Files.isDirectory(dir)) {
      return new ModelDirectoryContents(Kind.FOREIGN, List.of("(a file, not a directory)"), 0,
          Set.of());
    }
    List<String> foreign = new ArrayList<>();
    boolean checkpoints = inspectCheckpoints(dir.resolve(CHECKPOINTS), foreign);
    Manifest manifest = readManifest(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        String name = entry.getFileName().toString();
        boolean ours = name.equals(LOCK_FILE)
            || (TEMPORARY.matcher(name).matches() && Files.isRegularFile(entry))
            || (name.equals(CHECKPOINTS) && Files.isDirectory(entry))
            || ((manifest.valid() || checkpoints) && Files.isRegularFile(entry)
                && (MODEL_NAMES.contains(name) || PARAMETERS.matcher(name).matches()
                    || manifest.files().contains(name)));
        if (!ours) {
          foreign.add(name);
        }
      }
    }
    if (!foreign.isEmpty()) {
      return new ModelDirectoryContents(Kind.FOREIGN, foreign, 0, Set.of());
    }
    if (manifest.valid()) {
      return new ModelDirectoryContents(Kind.MODEL, List.of(), manifest.bestEpoch(),
          manifest.files());
    }
    return new ModelDirectoryContents(checkpoints ? Kind.CHECKPOINTS : Kind.NEW, List.of(), 0,
        Set.of());
  }

  /** The foreign entries for a message: the first few, and how many more there are. */
  public String describeForeign() {
    String listed = String.join(", ", foreign.subList(0, Math.min(LISTED, foreign.size())));
    return foreign.size() <= LISTED ? listed
        : listed + " and " + (foreign.size() - LISTED) + " more";
  }

  /**
   * Adds the foreign entries of {@code checkpoints} to {@code foreign}; returns whether it holds
   * a recorded checkpoint.
   */
  private static boolean inspectCheckpoints(Path checkpoints, List<String> foreign)
      throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    boolean recorded = false;
    try (Stream<Path> entries = Files.list(checkpoints)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        String name = entry.getFileName().toString();
        boolean file = Files.isRegularFile(entry);
        boolean ours = file && (name.equals(LATEST) || TEMPORARY.matcher(name).matches()
            || CheckpointStore.CHECKPOINT_NAME.matcher(name).matches()
            || CheckpointStore.BEST_NAME.matcher(name).matches());
        if (!ours) {
          foreign.add(CHECKPOINTS + "/" + name);
        }
        recorded |= file && name.equals(LATEST);
      }
    }
    return recorded;
  }

  /** The parts of a manifest that tell whether it is o2v's; not valid when unreadable. */
  private record Manifest(boolean valid, int bestEpoch, Set<String> files) {}

  private static Manifest readManifest(Path dir) {
    Path file = dir.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return new Manifest(false, 0, Set.of());
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || !ModelManifest.FORMAT.equals(root.path("format").asText())) {
        return new Manifest(false, 0, Set.of());
      }
      Set<String> files = new HashSet<>();
      for (JsonNode entry : root.path("files")) {
        String name = entry.path("name").asText("");
        // Only plain names: a manifest must not make a file elsewhere look like o2v's.
        if (!name.isEmpty() && !name.contains("/") && !name.contains("\\")) {
          files.add(name);
        }
      }
      return new Manifest(true, root.path("best_epoch").asInt(0), files);
    } catch (IOException e) {
      return new Manifest(false, 0, Set.of());
    }
  }
}
