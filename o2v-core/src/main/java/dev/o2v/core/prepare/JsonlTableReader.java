package dev.o2v.core.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.io.JsonProblems;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON Lines input: one object per line, the columns are field names whose values are
 * strings or numbers. Empty lines are skipped.
 */
final class JsonlTableReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TableSpec spec;

  JsonlTableReader(TableSpec spec) {
    this.spec = spec;
  }

  List<TextRow> read(BufferedReader in) throws IOException {
    List<TextRow> rows = new ArrayList<>();
    long line = 0;
    for (String text = in.readLine(); text != null; text = in.readLine()) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw PrepareException.at(
            spec.file(), line, "invalid JSON: " + JsonProblems.reason(e));
      }
      if (!node.isObject()) {
        throw PrepareException.at(spec.file(), line, "a line must hold a JSON object");
      }
      rows.add(
          new TextRow(
              line, value(node, spec.in0(), line), value(node, spec.in1(), line),
              value(node, spec.label(), line)));
    }
    return rows;
  }

  private String value(JsonNode row, ColumnRef column, long line) {
    JsonNode value = row.get(column.text());
    if (value == null) {
      throw PrepareException.at(spec.file(), line, "missing field for " + column.describe());
    }
    if (!value.isTextual() && !value.isNumber()) {
      throw PrepareException.at(
          spec.file(),
          line,
          column.describe() + " must be a string or a number, found " + value.getNodeType());
    }
    return TableReader.nonEmpty(value.asText(), column, spec, line);
  }
}
