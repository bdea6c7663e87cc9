package dev.o2v.train.model;

import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.train.TrainingHistory;
import dev.o2v.train.runtime.Versions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the model directory at the end of training.
 *
 * <p>Each file is written atomically and the manifest comes last; weights get a name of their own
 * and those of an earlier model are removed only after the new manifest is in place. An
 * interrupted write therefore leaves either a directory whose manifest matches every file, or one
 * that the loader refuses (a missing manifest or a checksum mismatch), never one that half-loads.
 */
public final class ModelWriter {

  private ModelWriter() {}

  /**
   * Writes the model.
   *
   * @param modelDir the model directory (created if missing)
   * @param hp the resolved hyperparameters
   * @param parameters the best epoch's weights, as written by the checkpoint store
   * @param parametersDigest the size and CRC-32C of {@code parameters} when known (the checkpoint
   *     store sums the file as it writes it): a hard link to it is then not read again
   * @param history the finished training history
   * @param auxDir the auxiliary directory whose vocabulary files and tokenizer description are
   *     copied, if any
   * @param versions the versions recorded in the manifest
   */
  public static ModelManifest write(
      Path modelDir,
      Hyperparameters hp,
      Path parameters,
      Optional<ModelManifest.FileEntry> parametersDigest,
      TrainingHistory history,
      Optional<Path> auxDir,
      Versions versions)
      throws IOException {
    Files.createDirectories(modelDir);
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    Map<String, String> names = new HashMap<>();

    names.put(ModelFiles.HYPERPARAMETERS, ModelFiles.HYPERPARAMETERS_FILE);
    AtomicFiles.write(
        modelDir.resolve(ModelFiles.HYPERPARAMETERS_FILE),
        HyperparameterCodec.toCanonicalJson(hp).getBytes(StandardCharsets.UTF_8));

    String params =
        String.format(Locale.ROOT, "parameters-e%04d-%s.params", history.bestEpoch(), stamp);
    boolean linked = linkOrCopy(parameters, modelDir.resolve(params));
    names.put(ModelFiles.PARAMETERS, params);

    names.put(ModelFiles.METRICS, ModelFiles.METRICS_FILE);
    AtomicFiles.write(modelDir.resolve(ModelFiles.METRICS_FILE), history.toJson());

    if (auxDir.isPresent()) {
      for (int side = 0; side < 2; side++) {
        Optional<String> vocab = hp.encoder(side).vocabFile();
        if (vocab.isPresent()) {
          copyFromAux(auxDir.get(), vocab.get(), modelDir);
          names.put(ModelFiles.VOCAB_PREFIX + side, vocab.get());
        }
      }
      // The tokenizer that made the ids, so the model can encode raw text later.
      if (Files.isRegularFile(auxDir.get().resolve(TokenizerDescription.FILE_NAME))) {
        copyFromAux(auxDir.get(), TokenizerDescription.FILE_NAME, modelDir);
        names.put(ModelFiles.TOKENIZER, TokenizerDescription.FILE_NAME);
      }
    }

    Map<String, ModelManifest.FileEntry> files = new HashMap<>();
    if (linked && parametersDigest.isPresent()
        && Files.size(modelDir.resolve(params)) == parametersDigest.get().bytes()) {
      // The link is the checkpoint's file itself: its sum is known without reading gigabytes.
      files.put(ModelFiles.PARAMETERS, new ModelManifest.FileEntry(
          params, parametersDigest.get().bytes(), parametersDigest.get().crc32c()));
    }
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (!files.containsKey(e.getKey())) {
        files.put(e.getKey(), ModelManifest.FileEntry.of(modelDir, e.getValue()));
      }
    }
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT,
            ModelManifest.FORMAT_VERSION,
            versions.o2v(),
            versions.djl(),
            versions.pytorch(),
            Instant.now().toString(),
            history.bestEpoch(),
            files);
    manifest.writeTo(modelDir);
    removeStaleParameters(modelDir, Set.copyOf(names.values()));
    return manifest;
  }

  private static void copyFromAux(Path auxDir, String name, Path modelDir) throws IOException {
    Path target = modelDir.resolve(name);
    if (!Files.exists(target) || !Files.isSameFile(auxDir.resolve(name), target)) {
      AtomicFiles.write(target, out -> Files.copy(auxDir.resolve(name), out));
    }
  }

  /**
   * A hard link when the file system allows it (no copy of a multi-GB table), else a copy;
   * returns whether it linked.
   */
  private static boolean linkOrCopy(Path source, Path target) throws IOException {
    Files.deleteIfExists(target);
    try {
      Files.createLink(target, source);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return false;
    }
  }

  private static void removeStaleParameters(Path modelDir, Set<String> keep) throws IOException {
    try (Stream<Path> files = Files.list(modelDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("parameters-") && name.endsWith(".params") && !keep.contains(name)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
