package dev.o2v.core.prepare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.o2v.core.io.JsonProblems;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads TSV (split at every tab, no quoting) and CSV (RFC 4180 through Jackson's CSV parser).
 *
 * <p>Empty lines are skipped. With a header row every row must have as many fields as the
 * header; without one a row needs only enough fields for the chosen columns, so files with extra
 * trailing columns on some lines (STS Benchmark) still read.
 */
final class DelimitedTableReader {

  private static final CsvMapper CSV = new CsvMapper();

  private final TableSpec spec;
  private final boolean header;
  private int[] indexes;
  private int headerWidth = -1;

  DelimitedTableReader(TableSpec spec) {
    this.spec = spec;
    this.header = spec.hasHeader();
  }

  /** One physical row: its first line and its fields. */
  private record Fields(long line, List<String> values) {}

  List<TextRow> read(BufferedReader in) throws IOException {
    List<TextRow> rows = new ArrayList<>();
    List<Fields> all = spec.format() == TableFormat.TSV ? readTsv(in) : readCsv(in);
    for (Fields fields : all) {
      if (indexes == null) {
        indexes = header ? resolveByHeader(fields) : resolveByIndex();
        if (header) {
          continue;
        }
      }
      rows.add(toRow(fields));
    }
    return rows;
  }

  private static List<Fields> readTsv(BufferedReader in) throws IOException {
    List<Fields> rows = new ArrayList<>();
    long line = 0;
    for (String text = in.readLine(); text != null; text = in.readLine()) {
      line++;
      if (line == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (!text.isEmpty()) {
        rows.add(new Fields(line, Arrays.asList(text.split("\t", -1))));
      }
    }
    return rows;
  }

  private List<Fields> readCsv(BufferedReader in) throws IOException {
    List<Fields> rows = new ArrayList<>();
    try (CsvParser parser = CSV.getFactory().createParser(in)) {
      parser.setSchema(CsvSchema.emptySchema());
      parser.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
      List<String> current = null;
      long line = 0;
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.START_ARRAY) {
          current = new ArrayList<>();
        } else if (t == JsonToken.END_ARRAY) {
          rows.add(new Fields(line, current));
        } else if (t == JsonToken.VALUE_STRING) {
          String value = parser.getText();
          if (current.isEmpty()) {
            // The first value's location is the row's first line (START_ARRAY's is not).
            line = parser.currentTokenLocation().getLineNr();
            value = line == 1 ? value.replace("\uFEFF", "") : value;
          }
          current.add(value);
        }
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw PrepareException.at(spec.file(), line, "invalid CSV: " + JsonProblems.reason(e));
    }
    return rows;
  }

  private int[] resolveByHeader(Fields first) {
    headerWidth = first.values().size();
    List<ColumnRef> columns = spec.columns();
    int[] resolved = new int[columns.size()];
    for (int k = 0; k < resolved.length; k++) {
      ColumnRef c = columns.get(k);
      int named = first.values().indexOf(c.text());
      if (named >= 0) {
        resolved[k] = named;
      } else if (c.isIndex() && c.index() < headerWidth) {
        resolved[k] = c.index();
      } else {
        throw PrepareException.at(
            spec.file(),
            first.line(),
            String.format(
                Locale.ROOT,
                "the header has no column %s for %s (columns: %s)",
                c.isIndex() ? c.text() : "named '" + c.text() + "'",
                c.option(),
                String.join(", ", first.values())));
      }
    }
    return resolved;
  }

  private int[] resolveByIndex() {
    return spec.columns().stream().mapToInt(ColumnRef::index).toArray();
  }

  private TextRow toRow(Fields fields) {
    int width = fields.values().size();
    if (header && width != headerWidth) {
      throw PrepareException.at(
          spec.file(),
          fields.line(),
          String.format(
              Locale.ROOT, "ragged row: %d fields, the header has %d", width, headerWidth));
    }
    List<ColumnRef> columns = spec.columns();
    String[] values = new String[3];
    for (int k = 0; k < 3; k++) {
      if (indexes[k] >= width) {
        throw PrepareException.at(
            spec.file(),
            fields.line(),
            String.format(
                Locale.ROOT,
                "ragged row: %d fields, %s needs at least %d",
                width,
                columns.get(k).describe(),
                indexes[k] + 1));
      }
      String value = fields.values().get(indexes[k]);
      values[k] = TableReader.nonEmpty(value, columns.get(k), spec, fields.line());
    }
    return new TextRow(fields.line(), values[0], values[1], values[2]);
  }
}
