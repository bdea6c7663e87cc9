package dev.o2v.train;

import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.encoders.PretrainedEmbeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the auxiliary files that the hyperparameters name (each vocabulary, the first vector of
 * each pretrained embedding file, checked against the token dim) and the tokenizer description
 * if the directory has one, so that a file training would refuse is refused before any training
 * time is spent, and by {@code train --dry-run}.
 */
public final class AuxiliaryFiles {

  private AuxiliaryFiles() {}

  /**
   * Checks the files and returns one summary line per file read.
   *
   * @param hp the resolved hyperparameters, which name the files
   * @param auxDir the auxiliary directory, if one was given
   * @param warnings receives one line per vocabulary with skipped entries, and one when files are
   *     named but no auxiliary directory was given
   * @throws dev.o2v.encoders.PretrainedEmbeddingException for a missing or unusable vocabulary
   *     or embedding file
   * @throws dev.o2v.core.prepare.PrepareException for an unusable tokenizer description
   */
  public static List<String> check(
      Hyperparameters hp, Optional<Path> auxDir, Consumer<String> warnings) {
    List<String> summary = new ArrayList<>();
    if (auxDir.isEmpty()) {
      List<String> named = namedFiles(hp);
      if (!named.isEmpty()) {
        warnings.accept("no auxiliary directory given, so " + String.join(", ", named)
            + " will not be read: no pretrained vectors, no vocabulary in the model directory");
      }
      return summary;
    }
    Path dir = auxDir.get();
    Set<List<Object>> seen = new HashSet<>();
    for (int side = 0; side < 2; side++) {
      EncoderSpec spec = hp.encoder(side);
      if (spec.vocabFile().isEmpty()) {
        continue;
      }
      // Encoders that name the same files for the same table are read once, as training does.
      List<Object> files = List.of(spec.pretrainedEmbeddingFile(), spec.vocabFile(),
          spec.vocabSize(), spec.tokenEmbeddingDim());
      if (!seen.add(files)) {
        continue;
      }
      String vocab = spec.vocabFile().get();
      PretrainedEmbeddings.Checked checked = PretrainedEmbeddings.check(dir,
          spec.pretrainedEmbeddingFile().orElse(null), vocab, spec.vocabSize(),
          spec.tokenEmbeddingDim());
      checked.skipped().warning(dir.resolve(vocab), spec.vocabSize()).ifPresent(warnings);
      int entries = checked.vocabularyEntries();
      summary.add(String.format(Locale.ROOT, "enc%d vocabulary %s: %d entr%s", side, vocab,
          entries, entries == 1 ? "y" : "ies"));
      if (spec.pretrainedEmbeddingFile().isPresent()) {
        summary.add(String.format(Locale.ROOT, "enc%d pretrained embeddings %s: vectors of width"
            + " %d", side, spec.pretrainedEmbeddingFile().get(), checked.width()));
      }
    }
    Path tokenizer = dir.resolve(TokenizerDescription.FILE_NAME);
    if (Files.isRegularFile(tokenizer)) {
      TokenizerDescription description = TokenizerDescription.read(tokenizer);
      summary.add(String.format(Locale.ROOT, "tokenizer %s: %s (in0 %s, in1 %s)",
          TokenizerDescription.FILE_NAME, description.type().key(),
          description.kind(0).key(), description.kind(1).key()));
    }
    return summary;
  }

  /** The file keys that name a file, as {@code key=name}. */
  private static List<String> namedFiles(Hyperparameters hp) {
    List<String> named = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      EncoderSpec spec = hp.encoder(side);
      int s = side;
      spec.pretrainedEmbeddingFile()
          .ifPresent(f -> named.add("enc" + s + "_pretrained_embedding_file=" + f));
      spec.vocabFile().ifPresent(f -> named.add("enc" + s + "_vocab_file=" + f));
    }
    return named;
  }
}
