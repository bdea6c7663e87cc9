package dev.o2v.core.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A token → id map in the auxiliary-channel format {@code {"token": id}}.
 *
 * <p>A vocabulary built here reserves id 0 for {@value #UNKNOWN_TOKEN}, the id of every token
 * not in the vocabulary; ids 1, 2, … follow by falling frequency, ties in {@link
 * String#compareTo} order. Id 0 stays put when a vocabulary grows, so it is easy to recognise. A
 * vocabulary read from a file may put its unknown token anywhere, or have none.
 */
public final class Vocabulary {

  /** The token reserved for unknown tokens. */
  public static final String UNKNOWN_TOKEN = "<unk>";

  /** The largest vocabulary file read (128 MiB, far above the largest vocabulary's size). */
  public static final long MAX_FILE_BYTES = 128L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> ids;
  private final int size;
  private final OptionalInt unknownId;

  private Vocabulary(Map<String, Integer> ids, OptionalInt unknownId) {
    this.ids = Collections.unmodifiableMap(ids);
    this.size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    this.unknownId = unknownId;
  }

  /**
   * The vocabulary of the tokens counted at least {@code minCount} times, {@value
   * #UNKNOWN_TOKEN} first, at most {@code maxSize} entries in all.
   */
  public static Vocabulary build(TokenCounts counts, long minCount, int maxSize) {
    if (maxSize < 2) {
      throw new IllegalArgumentException("a vocabulary needs at least 2 entries, found " + maxSize);
    }
    Map<String, Integer> ids = new HashMap<>();
    ids.put(UNKNOWN_TOKEN, 0);
    for (String token : counts.ranked(minCount)) {
      if (ids.size() >= maxSize) {
        break;
      }
      ids.putIfAbsent(token, ids.size());
    }
    return new Vocabulary(ids, OptionalInt.of(0));
  }

  /**
   * Reads a vocabulary file; its unknown token is {@code unknownToken} when present.
   *
   * @throws PrepareException naming the file when it is unreadable, not a JSON object of
   *     non-negative integer ids, or maps two tokens to one id
   */
  public static Vocabulary read(Path file, String unknownToken) {
    JsonNode root;
    try {
      root = JSON.readTree(BoundedText.readUtf8(file, MAX_FILE_BYTES));
    } catch (JsonProcessingException e) {
      throw new PrepareException(file + ": invalid JSON: " + JsonProblems.reason(e), e);
    } catch (IOException e) {
      throw new PrepareException(file + ": cannot read vocabulary: " + IoReasons.of(e), e);
    }
    if (root == null || !root.isObject() || root.isEmpty()) {
      throw new PrepareException(file + ": a vocabulary must be a non-empty JSON object");
    }
    Map<String, Integer> ids = new HashMap<>();
    Map<Integer, String> tokens = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode id = e.getValue();
      if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0) {
        throw new PrepareException(
            file + ": id of '" + e.getKey() + "' must be a non-negative integer, found " + id);
      }
      String other = tokens.putIfAbsent(id.intValue(), e.getKey());
      if (other != null) {
        throw new PrepareException(String.format(
            Locale.ROOT, "%s: tokens '%s' and '%s' share id %d", file, other, e.getKey(),
            id.intValue()));
      }
      ids.put(e.getKey(), id.intValue());
    }
    Integer unknown = ids.get(unknownToken);
    return new Vocabulary(ids, unknown == null ? OptionalInt.empty() : OptionalInt.of(unknown));
  }

  /**
   * This vocabulary without the entries whose id is {@code limit} or more, which name no row of
   * a table of {@code limit} rows; the unknown token stays only if its id is below it too.
   *
   * @return this vocabulary itself when every id is below {@code limit}
   */
  public Vocabulary withIdsBelow(int limit) {
    if (size <= limit) {
      return this;
    }
    Map<String, Integer> kept = new HashMap<>();
    ids.forEach((token, id) -> {
      if (id < limit) {
        kept.put(token, id);
      }
    });
    OptionalInt unknown =
        unknownId.isPresent() && unknownId.getAsInt() < limit ? unknownId : OptionalInt.empty();
    return new Vocabulary(kept, unknown);
  }

  /** Writes {@code {"token": id}}, one entry per line in id order. */
  public void write(Path file) throws IOException {
    TreeMap<Integer, String> byId = new TreeMap<>();
    ids.forEach((token, id) -> byId.put(id, token));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("{");
      String separator = "\n  ";
      for (Map.Entry<Integer, String> e : byId.entrySet()) {
        out.write(separator);
        out.write(JSON.writeValueAsString(e.getValue()));
        out.write(": " + e.getKey());
        separator = ",\n  ";
      }
      out.write("\n}\n");
    }
  }

  /** One more than the largest id: the {@code encX_vocab_size} this vocabulary needs. */
  public int size() {
    return size;
  }

  /** Number of tokens. */
  public int tokenCount() {
    return ids.size();
  }

  /** The id of the unknown token, if the vocabulary has one. */
  public OptionalInt unknownId() {
    return unknownId;
  }

  /** Whether {@code token} has an id of its own. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** The id of {@code token}, or the unknown id, or -1 when there is neither. */
  public int idOrUnknown(String token) {
    Integer id = ids.get(token);
    return id != null ? id : unknownId.orElse(-1);
  }

  /** The ids of {@code tokens}; -1 marks a token with neither an id nor an unknown id. */
  public int[] encode(List<String> tokens) {
    int[] out = new int[tokens.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = idOrUnknown(tokens.get(k));
    }
    return out;
  }

  /** The token → id map. */
  public Map<String, Integer> ids() {
    return ids;
  }
}
