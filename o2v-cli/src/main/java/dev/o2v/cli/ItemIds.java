package dev.o2v.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ids of searched items: given strings (an {@code id} field, a line of an ids file) or, when
 * none are given, the row numbers themselves.
 */
final class ItemIds {

  private final List<String> ids;
  private final int count;
  private final Map<String, Integer> rows = new HashMap<>();

  private ItemIds(List<String> ids, int count) {
    this.ids = ids;
    this.count = count;
    if (ids != null) {
      for (int r = 0; r < ids.size(); r++) {
        if (rows.putIfAbsent(ids.get(r), r) != null) {
          throw new CliException(ExitCodes.DATA, "item id '" + ids.get(r) + "' appears twice");
        }
      }
    }
  }

  /** Row numbers 0..count-1 as ids. */
  static ItemIds positional(int count) {
    return new ItemIds(null, count);
  }

  /** The given ids, one per row. */
  static ItemIds of(List<String> ids) {
    return new ItemIds(List.copyOf(ids), ids.size());
  }

  /** One id per non-empty line of {@code file}; there must be one per row. */
  static ItemIds fromFile(Path file, int rows) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (lines.size() != rows) {
      throw new CliException(ExitCodes.DATA, String.format(Locale.ROOT,
          "%s: %d ids for %d embedding rows", file, lines.size(), rows));
    }
    return of(lines);
  }

  /** The row of {@code id}. */
  int row(String id) {
    if (ids == null) {
      try {
        int r = Integer.parseInt(id.strip());
        if (r >= 0 && r < count) {
          return r;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new CliException(ExitCodes.USAGE, String.format(Locale.ROOT,
          "--query-ids: '%s' is not a row number in [0, %d)", id, count));
    }
    Integer r = rows.get(id.strip());
    if (r == null) {
      throw new CliException(ExitCodes.USAGE, "--query-ids: no item has the id '" + id + "'");
    }
    return r;
  }

  /** The JSON form of row {@code r}'s id: a number for row numbers, else a string. */
  String json(int r) {
    if (ids == null) {
      return Integer.toString(r);
    }
    StringBuilder out = new StringBuilder(ids.get(r).length() + 2).append('"');
    for (char c : ids.get(r).toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
