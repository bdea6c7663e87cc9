package dev.o2v.inference.text;

import dev.o2v.core.data.DataException;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.HyperparameterException;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.prepare.ColumnKind;
import dev.o2v.core.prepare.PrepareException;
import dev.o2v.core.prepare.Tokenizer;
import dev.o2v.core.prepare.TokenizerDescription;
import dev.o2v.core.prepare.Vocabulary;
import dev.o2v.encoders.PretrainedEmbeddings;
import dev.o2v.train.model.ModelFiles;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.ModelManifest;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw text into the id sequence a model was trained on, with the tokenizer and vocabulary
 * that prepared its data.
 *
 * <p>A text side is normalized and tokenized as in {@code o2v prepare}; tokens outside the
 * vocabulary get its unknown id. A vocabulary entry whose id is outside {@code [0, vocab size)}
 * (an {@code <unk>} numbered as the vocab size, say) names no row of the embedding table, which
 * training skips too, so it is left out and its token is unknown. An id side takes white-space
 * separated non-negative integers below the side's vocab size. Text without tokens (or an id
 * side without ids) is an empty side, which the model encodes to the zero vector, as it does a
 * side of only id 0 where id 0 is padding. Sequences are not truncated here; the model truncates
 * to its {@code max_seq_len}.
 */
public final class TextEncoder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

  private final TokenizerDescription description;
  private final Tokenizer tokenizer;
  private final List<Optional<Vocabulary>> vocabularies;
  private final int[] vocabSizes;

  /**
   * An encoder over a description and per-side vocabularies.
   *
   * @param vocabularies the vocabulary of each text side (empty for an id side)
   * @param vocabSizes each side's {@code encX_vocab_size}
   */
  public TextEncoder(
      TokenizerDescription description,
      Tokenizer tokenizer,
      List<Optional<Vocabulary>> vocabularies,
      int[] vocabSizes) {
    this.description = description;
    this.tokenizer = tokenizer;
    this.vocabularies = List.copyOf(vocabularies);
    this.vocabSizes = vocabSizes.clone();
    for (int side = 0; side < 2; side++) {
      if (description.kind(side) == ColumnKind.TEXT && this.vocabularies.get(side).isEmpty()) {
        throw new IllegalArgumentException("text side " + side + " needs a vocabulary");
      }
    }
  }

  /**
   * The encoder of a loaded model, from the tokenizer description and vocabulary files in its
   * directory.
   *
   * @throws ModelFormatException when the model has no tokenizer description (it was not trained
   *     on prepared data), or a text side has no vocabulary file
   */
  public static TextEncoder forModel(TrainedModel model) {
    return of(model.directory(), model.manifest(), model.hyperparameters());
  }

  /**
   * The encoder of the model in {@code dir}, without loading its weights.
   *
   * @throws ModelFormatException as {@link #forModel}, or when the directory is not a model
   */
  public static TextEncoder forModelDirectory(Path dir) throws IOException {
    ModelManifest manifest = ModelManifest.readFrom(dir);
    Path hpFile = manifest.path(dir, ModelFiles.HYPERPARAMETERS);
    try {
      return of(dir, manifest, HyperparameterCodec.parseFile(hpFile));
    } catch (HyperparameterException e) {
      throw new ModelFormatException(hpFile, "invalid hyperparameters: " + e.getMessage(), e);
    }
  }

  /**
   * The encoder that a model trained with the auxiliary directory {@code auxDir} will have, so
   * that a tokenizer description that cannot encode text is refused before training instead of
   * at the first {@code embed --text}.
   *
   * @return empty when {@code auxDir} holds no tokenizer description (an ids-only model)
   * @throws DataException naming the file when the description or a text side's vocabulary is
   *     unreadable, a text side names no vocabulary, or the description names an unusable
   *     tokenizer
   */
  public static Optional<TextEncoder> forAuxDirectory(Path auxDir, Hyperparameters hp) {
    Path file = auxDir.resolve(TokenizerDescription.FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    TokenizerDescription description = TokenizerDescription.read(file);
    List<Optional<Vocabulary>> vocabularies = new ArrayList<>();
    int[] sizes = new int[2];
    for (int side = 0; side < 2; side++) {
      sizes[side] = hp.encoder(side).vocabSize();
      if (description.kind(side) == ColumnKind.IDS) {
        vocabularies.add(Optional.empty());
        continue;
      }
      Optional<String> named = hp.encoder(side).vocabFile();
      if (named.isEmpty()) {
        throw new DataException(file + ": in" + side + " holds text, but enc" + side
            + "_vocab_file names no vocabulary for it");
      }
      Path vocab = auxDir.resolve(named.get());
      // Training's check of the auxiliary files reports the entries left out, once.
      vocabularies.add(Optional.of(withinVocabSize(
          Vocabulary.read(vocab, description.unknownToken()), vocab, sizes[side], w -> { })));
    }
    Tokenizer tokenizer = TextTokenizers.create(description, file.toString());
    return Optional.of(new TextEncoder(description, tokenizer, vocabularies, sizes));
  }

  private static TextEncoder of(Path dir, ModelManifest manifest, Hyperparameters hp) {
    if (!manifest.files().containsKey(ModelFiles.TOKENIZER)) {
      throw new ModelFormatException(dir, "has no " + TokenizerDescription.FILE_NAME
          + ", so it cannot encode raw text (train with --aux pointing at an o2v prepare"
          + " output directory)");
    }
    Path file = manifest.path(dir, ModelFiles.TOKENIZER);
    TokenizerDescription description;
    try {
      description = TokenizerDescription.read(file);
    } catch (PrepareException e) {
      throw new ModelFormatException(file, e.getMessage(), e);
    }
    List<Optional<Vocabulary>> vocabularies = new ArrayList<>();
    int[] sizes = new int[2];
    Path sharedVocab = null;
    for (int side = 0; side < 2; side++) {
      sizes[side] = hp.encoder(side).vocabSize();
      String role = ModelFiles.VOCAB_PREFIX + side;
      if (description.kind(side) == ColumnKind.IDS) {
        vocabularies.add(Optional.empty());
      } else if (!manifest.files().containsKey(role)) {
        throw new ModelFormatException(dir,
            "side in" + side + " holds text but the model has no vocabulary file for it");
      } else {
        Path vocab = manifest.path(dir, role);
        if (side == 1 && vocab.equals(sharedVocab) && sizes[1] == sizes[0]) {
          // Both sides share one file (tied embeddings): read it, and warn about it, once.
          vocabularies.add(vocabularies.get(0));
          continue;
        }
        try {
          vocabularies.add(Optional.of(withinVocabSize(
              Vocabulary.read(vocab, description.unknownToken()), vocab, sizes[side], LOG::warn)));
        } catch (PrepareException e) {
          throw new ModelFormatException(vocab, e.getMessage(), e);
        }
        sharedVocab = vocab;
      }
    }
    Tokenizer tokenizer = TextTokenizers.create(description, file.toString());
    return new TextEncoder(description, tokenizer, vocabularies, sizes);
  }

  /**
   * The entries of {@code vocab} that a table of {@code vocabSize} rows has a row for; one
   * warning with their count names the others.
   */
  private static Vocabulary withinVocabSize(
      Vocabulary vocab, Path file, int vocabSize, Consumer<String> warnings) {
    Vocabulary kept = vocab.withIdsBelow(vocabSize);
    if (kept != vocab) {
      Map.Entry<String, Integer> first = vocab.ids().entrySet().stream()
          .filter(e -> e.getValue() >= vocabSize)
          .min(Map.Entry.comparingByValue())
          .orElseThrow();
      new PretrainedEmbeddings.Skipped(vocab.tokenCount() - kept.tokenCount(),
          "'" + first.getKey() + "' = " + first.getValue())
          .warning(file, vocabSize).ifPresent(warnings);
    }
    return kept;
  }

  /** What side 0 or 1 takes. */
  public ColumnKind kind(int side) {
    return description.kind(side);
  }

  /**
   * The ids of {@code text} for {@code side}; none when the text has no tokens.
   *
   * @throws DataException when a token is unknown and the vocabulary has no unknown entry, or an
   *     id side gets something other than ids below its vocab size
   */
  public int[] encode(int side, String text) {
    if (description.kind(side) == ColumnKind.IDS) {
      return parseIds(side, text);
    }
    Vocabulary vocab = vocabularies.get(side).orElseThrow();
    List<String> tokens = tokenizer.tokenize(text);
    int[] ids = vocab.encode(tokens);
    for (int k = 0; k < ids.length; k++) {
      if (ids[k] < 0) {
        throw new DataException("in" + side + " token '" + tokens.get(k) + "' is not in the"
            + " vocabulary, which has no '" + description.unknownToken() + "' entry");
      }
    }
    return ids;
  }

  private int[] parseIds(int side, String text) {
    if (text.isBlank()) {
      return new int[0];
    }
    String[] parts = text.strip().split("\\s+");
    int[] ids = new int[parts.length];
    for (int k = 0; k < parts.length; k++) {
      long id = parts[k].matches("[0-9]{1,10}") ? Long.parseLong(parts[k]) : -1;
      if (id < 0 || id >= vocabSizes[side]) {
        throw new DataException(String.format(Locale.ROOT,
            "in%d takes integer ids in [0, %d), found '%s'", side, vocabSizes[side], parts[k]));
      }
      ids[k] = (int) id;
    }
    return ids;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
