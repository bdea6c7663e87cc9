package dev.o2v.encoders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import dev.o2v.core.io.LineLengthLimit;
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
import java.util.regex.Pattern;
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
 * first one wins.
 */
public final class PretrainedEmbeddings {

  private static final Logger LOG = LoggerFactory.getLogger(PretrainedEmbeddings.class);

  /** File names in the auxiliary directory: plain names, never paths. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._]+");

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
    Map<String, Integer> vocab = readVocabulary(vocabPath, vocabSize);
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
    if (!FILE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new PretrainedEmbeddingException(
          dir, 0, "file name must match [A-Za-z0-9._]+ and not be . or .., found '" + name + "'");
    }
    return dir.resolve(name);
  }

  private static Map<String, Integer> readVocabulary(Path path, int vocabSize) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(path.toFile());
    } catch (JsonProcessingException e) {
      throw new PretrainedEmbeddingException(
          path, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), JsonProblems.reason(e));
    } catch (IOException e) {
      throw new PretrainedEmbeddingException(path, 0, "cannot read vocabulary: " + IoReasons.of(e));
    }
    if (root == null || !root.isObject()) {
      throw new PretrainedEmbeddingException(path, 0, "vocabulary must be a JSON object");
    }
    Map<String, Integer> vocab = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode id = entry.getValue();
      if (!id.isIntegralNumber()
          || !id.canConvertToInt()
          || id.intValue() < 0
          || id.intValue() >= vocabSize) {
        throw new PretrainedEmbeddingException(
            path,
            0,
            String.format(
                Locale.ROOT,
                "id of token '%s' must be an integer in [0, %d), found %s",
                entry.getKey(),
                vocabSize,
                id));
      }
      vocab.put(entry.getKey(), id.intValue());
    }
    return vocab;
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
