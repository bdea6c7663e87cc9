package dev.o2v.core.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How raw text becomes ids for a model: the tokenizer, its normalization, the unknown token and
 * what each side holds. Written by {@code o2v prepare} as {@value #FILE_NAME} beside the
 * vocabulary, copied into the model directory by training.
 *
 * <p>File format (JSON, version 1):
 *
 * <pre>{@code
 * {"format": "o2v-tokenizer", "format_version": 1, "type": "word", "normalization": "NFC",
 *  "lowercase": true, "unknown_token": "<unk>", "in0": "text", "in1": "ids"}
 * }</pre>
 *
 * <p>{@code type} is {@code word} ({@link WordTokenizer}) or {@code huggingface}, in which case
 * the field {@code huggingface} holds the whole Hugging Face {@code tokenizer.json} object, so the
 * one file is all a model needs. {@code in0}/{@code in1} are {@code text} or {@code ids}.
 *
 * @param type the tokenizer
 * @param lowercase whether text is lower-cased before tokenizing
 * @param unknownToken the vocabulary entry unknown tokens map to
 * @param in0 what side 0 holds ({@link ColumnKind#TEXT} or {@link ColumnKind#IDS})
 * @param in1 what side 1 holds
 * @param huggingFaceJson the Hugging Face tokenizer definition, for that type only
 */
public record TokenizerDescription(
    Type type,
    boolean lowercase,
    String unknownToken,
    ColumnKind in0,
    ColumnKind in1,
    Optional<String> huggingFaceJson) {

  /** The file name inside a prepared directory and a model directory. */
  public static final String FILE_NAME = "tokenizer.json";
  /** The value of the {@code format} field. */
  public static final String FORMAT = "o2v-tokenizer";
  /** The version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The largest description file read (128 MiB; it may embed a Hugging Face tokenizer). */
  public static final long MAX_FILE_BYTES = 128L << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The tokenizers a description can name. */
  public enum Type {
    /** {@link WordTokenizer}. */
    WORD("word"),
    /** A Hugging Face {@code tokenizer.json}, without special tokens. */
    HUGGING_FACE("huggingface");

    private final String key;

    Type(String key) {
      this.key = key;
    }

    /** The name used in the file. */
    public String key() {
      return key;
    }
  }

  /** Checks the invariants. */
  public TokenizerDescription {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unknownToken, "unknownToken");
    Objects.requireNonNull(huggingFaceJson, "huggingFaceJson");
    for (ColumnKind kind : List.of(in0, in1)) {
      if (kind == ColumnKind.AUTO) {
        throw new IllegalArgumentException("a description holds resolved kinds, found auto");
      }
    }
    if ((type == Type.HUGGING_FACE) != huggingFaceJson.isPresent()) {
      throw new IllegalArgumentException("the Hugging Face definition goes with that type only");
    }
  }

  /** What side 0 or 1 holds. */
  public ColumnKind kind(int side) {
    return side == 0 ? in0 : in1;
  }

  /** Writes the description to {@code file}. */
  public void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("type", type.key());
    root.put("normalization", "NFC");
    root.put("lowercase", lowercase);
    root.put("unknown_token", unknownToken);
    root.put("in0", in0.key());
    root.put("in1", in1.key());
    if (huggingFaceJson.isPresent()) {
      root.set("huggingface", JSON.readTree(huggingFaceJson.get()));
    }
    Files.writeString(file, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Reads and checks a description file.
   *
   * @throws PrepareException naming the file when it is missing, not JSON, of another format or
   *     version, or lacks a field
   */
  public static TokenizerDescription read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(BoundedText.readUtf8(file, MAX_FILE_BYTES));
    } catch (JsonProcessingException e) {
      throw new PrepareException(file + ": invalid JSON: " + JsonProblems.reason(e), e);
    } catch (IOException e) {
      throw new PrepareException(file + ": cannot read: " + IoReasons.of(e), e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new PrepareException(file + ": not an " + FORMAT + " file (no \"format\": \""
          + FORMAT + "\")");
    }
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new PrepareException(file + ": " + FORMAT + " version " + version
          + " is not supported (this o2v reads version " + FORMAT_VERSION + ")");
    }
    Type type = typeOf(file, text(file, root, "type"));
    JsonNode hf = root.get("huggingface");
    if (type == Type.HUGGING_FACE && (hf == null || !hf.isObject())) {
      throw new PrepareException(file + ": type huggingface needs a \"huggingface\" object");
    }
    try {
      return new TokenizerDescription(
          type,
          root.path("lowercase").asBoolean(false),
          text(file, root, "unknown_token"),
          ColumnKind.parse(text(file, root, "in0")),
          ColumnKind.parse(text(file, root, "in1")),
          type == Type.HUGGING_FACE ? Optional.of(hf.toString()) : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new PrepareException(file + ": " + e.getMessage(), e);
    }
  }

  private static String text(Path file, JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual()) {
      throw new PrepareException(file + ": missing text field \"" + field + "\"");
    }
    return value.asText();
  }

  private static Type typeOf(Path file, String key) {
    for (Type t : Type.values()) {
      if (t.key().equals(key)) {
        return t;
      }
    }
    throw new PrepareException(file + ": unknown tokenizer type '" + key + "'");
  }
}
