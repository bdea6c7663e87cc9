package dev.o2v.cli;

import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.model.CheckpointStore;
import dev.o2v.train.model.ModelDirectoryContents;
import dev.o2v.train.model.ModelDirectoryLock;
import dev.o2v.train.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether {@code o2v train} may write into its {@code --model-dir}: never into a
 * directory holding files o2v did not write, over an existing model or unfinished run only when
 * {@code --overwrite} or {@code --resume} says so, and never while another run holds the lock.
 */
final class ModelDirectoryPolicy {

  private final Path dir;
  private final boolean resume;
  private final boolean overwrite;

  ModelDirectoryPolicy(Path dir, boolean resume, boolean overwrite) {
    this.dir = dir;
    this.resume = resume;
    this.overwrite = overwrite;
  }

  /**
   * Refuses a run that would destroy something, and a resume whose checkpoint is damaged or was
   * written with other settings.
   *
   * @throws CliException exit 74 for the directory, exit 2 for settings that differ
   */
  void check(ModelDirectoryContents contents, Hyperparameters hp, long seed) throws IOException {
    switch (contents.kind()) {
      case FOREIGN -> refuseForeign(contents);
      case MODEL -> {
        if (!resume && !overwrite) {
          throw new CliException(ExitCodes.IO, "--model-dir " + dir + " holds a trained o2v model"
              + " (best epoch " + contents.bestEpoch() + "); pass --overwrite to replace it, or"
              + " --resume with more epochs to continue its training");
        }
      }
      case CHECKPOINTS -> {
        if (!resume && !overwrite) {
          throw new CliException(ExitCodes.IO, "--model-dir " + dir + " holds the checkpoints of"
              + " an unfinished training run; pass --resume to continue it or --overwrite to"
              + " start afresh");
        }
      }
      case NEW -> { }
      default -> throw new IllegalStateException("unknown kind " + contents.kind());
    }
    if (resume) {
      checkResume(contents, hp, seed);
    }
  }

  /** Refuses a directory that holds files o2v did not write, whatever the flags. */
  void refuseForeign(ModelDirectoryContents contents) {
    if (contents.kind() != ModelDirectoryContents.Kind.FOREIGN) {
      return;
    }
    throw new CliException(ExitCodes.IO, contents.foreign().size() == 1
        && contents.foreign().get(0).startsWith("(")
        ? "--model-dir " + dir + " is a file, not a directory"
        : "--model-dir " + dir + " holds files o2v did not write (" + contents.describeForeign()
            + "); choose a new or empty directory (--overwrite replaces only an o2v model)");
  }

  private void checkResume(ModelDirectoryContents contents, Hyperparameters hp, long seed)
      throws IOException {
    Optional<CheckpointStore.Header> header = new CheckpointStore(dir).verifyLatest();
    if (header.isEmpty()) {
      if (contents.kind() == ModelDirectoryContents.Kind.MODEL) {
        throw new CliException(ExitCodes.IO, "--resume: --model-dir " + dir + " holds a model but"
            + " no checkpoint to continue from; pass --overwrite instead to train afresh");
      }
      return;
    }
    CheckpointStore.Header saved = header.get();
    String current = HyperparameterCodec.toCanonicalJson(hp);
    List<String> keys = CheckpointStore.differingKeys(saved.hyperparametersJson(), current);
    if (!keys.isEmpty()) {
      Map<String, Object> before = HyperparameterCodec.readJsonObject(saved.hyperparametersJson());
      Map<String, Object> now = HyperparameterCodec.readJsonObject(current);
      List<String> changes = new ArrayList<>();
      for (String key : keys) {
        changes.add(key + " " + shown(before.get(key)) + " -> " + shown(now.get(key)));
      }
      throw new CliException(ExitCodes.USAGE, "--resume needs the hyperparameters of the"
          + " checkpoint " + saved.file() + "; these differ: " + String.join(", ", changes)
          + " (only epochs may change)");
    }
    if (hp.epochs() < saved.epochsDone()) {
      throw new CliException(ExitCodes.USAGE, "--resume: epochs " + hp.epochs() + " is below"
          + " the " + saved.epochsDone() + " epochs the checkpoint " + saved.file() + " has trained");
    }
    if (saved.seed() != seed) {
      throw new CliException(ExitCodes.USAGE, "--resume: the checkpoint " + saved.file()
          + " was written with --seed " + saved.seed() + ", this run has --seed " + seed);
    }
  }

  private static String shown(Object value) {
    return value == null || value.toString().isEmpty() ? "(unset)" : value.toString();
  }

  /**
   * Locks the directory for this run, creating it if needed.
   *
   * @throws CliException exit 74 when another run holds it
   */
  ModelDirectoryLock lock() throws IOException {
    return ModelDirectoryLock.tryAcquire(dir).orElseThrow(() -> new CliException(ExitCodes.IO,
        "--model-dir " + dir + " is in use by another o2v train"
            + ModelDirectoryLock.holder(dir).map(pid -> " (process " + pid + ")").orElse("")
            + "; wait for it to end or choose another directory"));
  }

  /**
   * Deletes the files that only the model this run replaced listed (say, a vocabulary the new
   * model does without), so that the directory holds one model and nothing stale.
   */
  void removeFilesOfTheReplacedModel(ModelDirectoryContents before) throws IOException {
    if (before.kind() != ModelDirectoryContents.Kind.MODEL) {
      return;
    }
    Set<String> kept = new HashSet<>();
    ModelManifest.readFrom(dir).files().values().forEach(entry -> kept.add(entry.name()));
    for (String name : before.modelFiles()) {
      if (!kept.contains(name)) {
        Files.deleteIfExists(dir.resolve(name));
      }
    }
  }
}
