package dev.o2v.core.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the input table is and which of its columns hold the pair and the label.
 *
 * @param file the input file
 * @param format its layout
 * @param in0 the column of side 0
 * @param in1 the column of side 1
 * @param label the label column
 * @param header whether the first row names the columns; empty means "yes when any column is
 *     given by name" (ignored for JSON Lines)
 */
public record TableSpec(
    Path file,
    TableFormat format,
    ColumnRef in0,
    ColumnRef in1,
    ColumnRef label,
    Optional<Boolean> header) {

  /** Checks that the choices agree with each other. */
  public TableSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(header, "header");
    if (format == TableFormat.JSONL && header.isPresent()) {
      throw new IllegalArgumentException(
          "--header/--no-header apply to tsv and csv input, not jsonl");
    }
    if (format != TableFormat.JSONL && header.equals(Optional.of(false))) {
      for (ColumnRef c : List.of(in0, in1, label)) {
        if (!c.isIndex()) {
          throw new IllegalArgumentException(
              c.option() + " '" + c.text() + "' is a column name, but --no-header says the file"
                  + " has no header row; give a 0-based index");
        }
      }
    }
  }

  /** The three columns in the order in0, in1, label. */
  public List<ColumnRef> columns() {
    return List.of(in0, in1, label);
  }

  /** Whether the first row of a TSV/CSV file is read as the header. */
  public boolean hasHeader() {
    return header.orElseGet(() -> columns().stream().anyMatch(c -> !c.isIndex()));
  }
}
