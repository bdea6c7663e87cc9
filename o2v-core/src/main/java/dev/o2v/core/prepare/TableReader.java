package dev.o2v.core.prepare;

import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.LineLengthLimit;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** Reads the chosen columns of every row of a TSV, CSV or JSON Lines file. */
public final class TableReader {

  /** A row longer than this many characters is refused rather than buffered (16 Mi). */
  public static final int MAX_LINE_CHARS = 16 << 20;

  private TableReader() {}

  /**
   * Reads every non-empty row of {@code spec.file()}.
   *
   * @throws PrepareException naming the file and line for a missing file, invalid UTF-8, a
   *     missing column, a ragged row or an empty value
   */
  public static List<TextRow> read(TableSpec spec) {
    try (BufferedReader in = new BufferedReader(new LineLengthLimit(
        Files.newBufferedReader(spec.file(), StandardCharsets.UTF_8), MAX_LINE_CHARS))) {
      return switch (spec.format()) {
        case TSV, CSV -> new DelimitedTableReader(spec).read(in);
        case JSONL -> new JsonlTableReader(spec).read(in);
      };
    } catch (NoSuchFileException e) {
      throw new PrepareException(spec.file() + ": file not found");
    } catch (CharacterCodingException e) {
      throw new PrepareException(spec.file() + ": not valid UTF-8 text", e);
    } catch (LineLengthLimit.LineTooLongException e) {
      throw PrepareException.at(spec.file(), e.line(), e.getMessage());
    } catch (IOException e) {
      throw new PrepareException(spec.file() + ": cannot read: " + IoReasons.of(e), e);
    }
  }

  /** The value stripped of surrounding white space, or an error when nothing is left. */
  static String nonEmpty(String value, ColumnRef column, TableSpec spec, long line) {
    String stripped = value.strip();
    if (stripped.isEmpty()) {
      throw PrepareException.at(spec.file(), line, "empty value in " + column.describe());
    }
    return stripped;
  }
}
