package dev.o2v.inference.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the JSON Lines files of {@code evaluate --retrieval} and {@code neighbors --data}: one
 * object per non-blank line with {@code in0} and/or {@code in1} (arrays of ids within each side's
 * vocabulary), and optionally {@code match} (a non-negative integer) and {@code id} (a string or
 * number). Other fields, such as {@code label}, are ignored.
 */
public final class SequenceLineReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int vocab0;
  private final int vocab1;

  /** A reader checking ids against the two vocabulary sizes. */
  public SequenceLineReader(int vocab0, int vocab1) {
    this.vocab0 = vocab0;
    this.vocab1 = vocab1;
  }

  /**
   * Every record of {@code channel}, in file order.
   *
   * @throws DataFormatException ({@code FILE:LINE: reason}) for a malformed line
   */
  public List<SequenceLine> readAll(Channel channel) throws IOException {
    List<SequenceLine> out = new ArrayList<>();
    for (Path file : channel.files()) {
      String source = file.toString();
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        long number = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
          number++;
          if (!text.isBlank()) {
            out.add(parse(text, source, number));
          }
        }
      }
    }
    return out;
  }

  SequenceLine parse(String text, String source, long line) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DataFormatException(source, line, "malformed JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      throw new DataFormatException(source, line, "expected a JSON object");
    }
    int[] in0 = ids(node, "in0", vocab0, source, line);
    int[] in1 = ids(node, "in1", vocab1, source, line);
    int match = -1;
    JsonNode m = node.get("match");
    if (m != null && !m.isNull()) {
      if (!m.canConvertToInt() || !m.isIntegralNumber() || m.intValue() < 0) {
        throw new DataFormatException(source, line,
            "match must be a non-negative integer (a 0-based corpus position), found " + m);
      }
      match = m.intValue();
    }
    JsonNode id = node.get("id");
    String idText = null;
    if (id != null && !id.isNull()) {
      if (!id.isTextual() && !id.isNumber()) {
        throw new DataFormatException(source, line, "id must be a string or number, found " + id);
      }
      idText = id.asText();
    }
    return new SequenceLine(source, line, in0, in1, match, idText);
  }

  private static int[] ids(JsonNode node, String field, int vocab, String source, long line) {
    JsonNode array = node.get(field);
    if (array == null || array.isNull()) {
      return null;
    }
    if (!array.isArray() || array.isEmpty()) {
      throw new DataFormatException(source, line, field + " must be a non-empty array of ids");
    }
    int[] ids = new int[array.size()];
    Iterator<JsonNode> values = array.elements();
    for (int i = 0; values.hasNext(); i++) {
      JsonNode v = values.next();
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0
          || v.intValue() >= vocab) {
        throw new DataFormatException(source, line, String.format(Locale.ROOT,
            "%s[%d] = %s is not an id in the vocabulary [0, %d)", field, i, v, vocab));
      }
      ids[i] = v.intValue();
    }
    return ids;
  }
}
