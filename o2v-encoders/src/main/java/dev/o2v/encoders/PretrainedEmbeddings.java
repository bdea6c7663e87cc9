package dev.o2v.encoders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.hp.AuxiliaryFileName;
import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import dev.o2v.core.io.LineLengthLimit;
import dev.o2v.core.prepare.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrained token vectors matched to table rows through a vocabulary, ready to be written into a
 * {@link TokenEmbedding}.
 *
 * <p>The embedding file is GloVe-style text: one {@code token v1 ... vD} per line, separated by
 * single spaces, no header. The vocabulary file is a JSON object {@code {"token": id}}. Row {@code
 * vocab[token]} takes the file's vector; vocabulary tokens missing from the file are left alone;
 * file tokens missing from the vocabulary are skipped. When a token occurs on several lines, the
 * first one wins. A vocabulary entry whose id lies outside {@code [0, vocab size)} (some
 * vocabularies give {@code <unk>} the id equal to the vocab size) names no table row: it is
 * skipped, and {@link #check} counts them, as SageMaker trains with such a file.
 */
public final class PretrainedEmbeddings {

  private static final Logger LOG = LoggerFactory.getLogger(PretrainedEmbeddings.class);

  /** Rows written per native call when applying, to bound temporary memory. */
  private static final int APPLY_CHUNK_ROWS = 65_536;
  /** A vector line longer than this is not a vector line (a 1000-wide one is about 15 KB). */
  static final int MAX_LINE_CHARS = 1 << 20;

  private final Path embeddingFile;
  private final int dim;
  private final int[] rowIds;
  private final List<float[]> vectors;
  private final long skippedTokens;

  private PretrainedEmbeddings(
      Path embeddingFile, int dim, int[] rowIds, List<float[]> vectors, long skippedTokens) {
    this.embeddingFile = embeddingFile;
    this.dim = dim;
    this.rowIds = rowIds;
    this.vectors = vectors;
    this.skippedTokens = skippedTokens;
  }

  /** What {@link #check} found: usable vocabulary entries, skipped ones, and the vector width. */
  public record Checked(int vocabularyEntries, Skipped skipped, int width) {}

  /**
   * Vocabulary entries skipped because their id names no table row.
   *
   * @param count how many
   * @param example one of them as {@code 'token' = id}, or empty when none
   */
  public record Skipped(int count, String example) {

    /** The WARN line for these entries of {@code vocabFile}, or empty when there are none. */
    public Optional<String> warning(Path vocabFile, int vocabSize) {
      return count == 0
          ? Optional.empty()
          : Optional.of(String.format(Locale.ROOT,
              "%s: skipped %d vocabulary entr%s whose id is outside [0, %d) (e.g. %s); no table"
                  + " row takes them",
              vocabFile, count, count == 1 ? "y" : "ies", vocabSize, example));
    }
  }

  /** A vocabulary as read: token to table row, and the entries skipped. */
  private record VocabularyRead(Map<String, Integer> ids, Skipped skipped) {}

  /**
   * Reads a vocabulary and, when {@code embeddingFileName} is given, the first vector of the
   * embedding file, without loading the vectors: a cheap check that {@link #load} will accept
   * the names, the vocabulary and the width. Logs nothing; the caller reports {@link Skipped}.
   *
   * @param embeddingFileName the embedding file's name, or null for a vocabulary alone
   * @throws PretrainedEmbeddingException as {@link #load} would throw it for these problems
   */
  public static Checked check(
      Path auxiliaryDir, String embeddingFileName, String vocabFileName, int vocabSize, int dim) {
    VocabularyRead vocab = readVocabulary(resolve(auxiliaryDir, vocabFileName), vocabSize);
    int width = embeddingFileName == null
        ? 0 : firstVectorWidth(resolve(auxiliaryDir, embeddingFileName), dim);
    return new Checked(vocab.ids().size(), vocab.skipped(), width);
  }

  /**
   * Reads the two files from the auxiliary directory and logs how many rows were found.
   *
   * @param auxiliaryDir the auxiliary channel directory
   * @param embeddingFileName name of the GloVe text file inside it
   * @param vocabFileName name of the JSON vocabulary file inside it
   * @param vocabSize rows of the target table; vocabulary ids must lie in {@code [0, vocabSize)}
   * @param dim width of the target table; every vector must have exactly this many values
   * @throws PretrainedEmbeddingException for a bad name, a missing or malformed file, an id out of
   *     range or a vector of the wrong width
   */
  public static PretrainedEmbeddings load(
      Path auxiliaryDir, String embeddingFileName, String vocabFileName, int vocabSize, int dim) {
    Path vocabPath = resolve(auxiliaryDir, vocabFileName);
    Path embeddingPath = resolve(auxiliaryDir, embeddingFileName);
    // Skipped entries are reported once, by check(), which training runs first.
    Map<String, Integer> vocab = readVocabulary(vocabPath, vocabSize).ids();
    PretrainedEmbeddings found = readVectors(embeddingPath, vocab, dim);
    LOG.info(
        String.format(
            Locale.ROOT,
            "pretrained embeddings %s: %d of %d vocabulary tokens found, %d file tokens not in"
                + " the vocabulary skipped",
            embeddingPath.getFileName(),
            found.rowCount(),
            vocab.size(),
            found.skippedTokens));
    return found;
  }

  /** Number of table rows that receive a pretrained vector. */
  public int rowCount() {
    return rowIds.length;
  }

  /** The table rows that receive a vector, in file order. */
  public int[] rowIds() {
    return rowIds.clone();
  }

  /** The vector for the {@code i}-th entry of {@link #rowIds()}. */
  public float[] vector(int i) {
    return vectors.get(i).clone();
  }

  /** Number of file lines whose token is not in the vocabulary. */
  public long skippedTokens() {
    return skippedTokens;
  }

  /**
   * Writes the vectors into an initialised table and, when {@code freeze}, marks those rows frozen
   * so only the other rows learn.
   */
  public void applyTo(TokenEmbedding table, boolean freeze) {
    if (table.embeddingDim() != dim) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "pretrained vectors from %s have width %d, table width is %d",
              embeddingFile,
              dim,
              table.embeddingDim()));
    }
    for (int start = 0; start < rowIds.length; start += APPLY_CHUNK_ROWS) {
      int end = Math.min(rowIds.length, start + APPLY_CHUNK_ROWS);
      float[] values = new float[(end - start) * dim];
      for (int i = start; i < end; i++) {
        System.arraycopy(vectors.get(i), 0, values, (i - start) * dim, dim);
      }
      int[] ids = new int[end - start];
      System.arraycopy(rowIds, start, ids, 0, ids.length);
      table.setRows(ids, values);
    }
    if (freeze) {
      table.freezeRows(rowIds);
    }
  }

  private static Path resolve(Path dir, String name) {
    if (!AuxiliaryFileName.isValid(name)) {
      throw new PretrainedEmbeddingException(
          dir, 0, "file name must be " + AuxiliaryFileName.RULE + ", found '" + name + "'");
    }
    return dir.resolve(name);
  }

  private static VocabularyRead readVocabulary(Path path, int vocabSize) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(BoundedText.readUtf8(path, Vocabulary.MAX_FILE_BYTES));
    } catch (JsonProcessingException e) {
      throw new PretrainedEmbeddingException(
          path, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), JsonProblems.reason(e));
    } catch (NoSuchFileException e) {
      throw new PretrainedEmbeddingException(path, 0, "file not found");
    } catch (IOException e) {
      throw new PretrainedEmbeddingException(path, 0, "cannot read vocabulary: " + IoReasons.of(e));
    }
    if (root == null || !root.isObject()) {
      throw new PretrainedEmbeddingException(path, 0, "vocabulary must be a JSON object");
    }
    Map<String, Integer> vocab = new HashMap<>();
    int skipped = 0;
    String example = "";
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode id = entry.getValue();
      if (!id.isIntegralNumber()) {
        throw new PretrainedEmbeddingException(
            path,
            0,
            String.format(
                Locale.ROOT, "id of token '%s' must be an integer, found %s", entry.getKey(), id));
      }
      if (!id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= vocabSize) {
        if (skipped++ == 0) {
          example = "'" + entry.getKey() + "' = " + id;
        }
        continue;
      }
      vocab.put(entry.getKey(), id.intValue());
    }
    return new VocabularyRead(vocab, new Skipped(skipped, example));
  }

  /** The width of the first vector line, which must equal {@code dim}; 0 for an empty file. */
  private static int firstVectorWidth(Path path, int dim) {
    long lineNo = 0;
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNo++;
        String trimmed = line.strip();
        if (!trimmed.isEmpty()) {
          String[] fields = trimmed.split(" ");
          checkWidth(path, lineNo, fields, dim);
          parseVector(path, lineNo, fields);
          return fields.length - 1;
        }
      }
      return 0;
    } catch (NoSuchFileException e) {
      throw new PretrainedEmbeddingException(path, 0, "file not found");
    } catch (IOException | UncheckedIOException e) {
      throw new PretrainedEmbeddingException(path, lineNo, "cannot read: " + e);
    }
  }

  private static void checkWidth(Path path, long lineNo, String[] fields, int dim) {
    if (fields.length - 1 != dim) {
      throw new PretrainedEmbeddingException(
          path,
          lineNo,
          String.format(
              Locale.ROOT,
              "vector width must equal the token embedding dim %d, found %d",
              dim,
              fields.length - 1));
    }
  }

  private static PretrainedEmbeddings readVectors(Path path, Map<String, Integer> vocab, int dim) {
    List<Integer> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    BitSet seen = new BitSet();
    long skipped = 0;
    long lineNo = 0;
    try (BufferedReader reader = new BufferedReader(new LineLengthLimit(
        Files.newBufferedReader(path, StandardCharsets.UTF_8), MAX_LINE_CHARS))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNo++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] fields = trimmed.split(" ");
        checkWidth(path, lineNo, fields, dim);
        Integer id = vocab.get(fields[0]);
        if (id == null) {
          skipped++;
          continue;
        }
        float[] vector = parseVector(path, lineNo, fields);
        if (!seen.get(id)) {
          seen.set(id);
          ids.add(id);
          vectors.add(vector);
        }
      }
    } catch (NoSuchFileException e) {
      throw new PretrainedEmbeddingException(path, 0, "file not found");
    } catch (LineLengthLimit.LineTooLongException e) {
      throw new PretrainedEmbeddingException(path, e.line(), e.getMessage());
    } catch (IOException e) {
      throw new PretrainedEmbeddingException(path, lineNo + 1, "cannot read: " + IoReasons.of(e));
    } catch (UncheckedIOException e) {
      throw new PretrainedEmbeddingException(
          path, lineNo + 1, "cannot read: " + IoReasons.of(e.getCause()));
    }
    int[] rowIds = ids.stream().mapToInt(Integer::intValue).toArray();
    return new PretrainedEmbeddings(path, dim, rowIds, vectors, skipped);
  }

  private static float[] parseVector(Path path, long lineNo, String[] fields) {
    float[] vector = new float[fields.length - 1];
    for (int i = 1; i < fields.length; i++) {
      try {
        vector[i - 1] = Float.parseFloat(fields[i]);
      } catch (NumberFormatException e) {
        throw new PretrainedEmbeddingException(
            path, lineNo, "value " + i + " must be a number, found '" + fields[i] + "'");
      }
      if (!Float.isFinite(vector[i - 1])) {
        throw new PretrainedEmbeddingException(
            path, lineNo, "value " + i + " must be finite, found '" + fields[i] + "'");
      }
    }
    return vector;
  }
}
