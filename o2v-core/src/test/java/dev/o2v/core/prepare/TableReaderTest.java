package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableReaderTest {

  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static TableSpec spec(Path file, TableFormat format, String in0, String in1,
      String label, Optional<Boolean> header) {
    return new TableSpec(file, format, new ColumnRef("--in0", in0), new ColumnRef("--in1", in1),
        new ColumnRef("--label", label), header);
  }

  @Test
  void tsvColumnsByHeaderNameKeepQuotesAndSkipEmptyLines() throws IOException {
    Path f = file("a.tsv", "\uFEFFid\tA\tB\tscore\n1\tsay \"hi\"\tyes\t0\n\n2\t x \ty\t1\n");
    List<TextRow> rows = TableReader.read(spec(f, TableFormat.TSV, "A", "B", "score",
        Optional.empty()));
    assertEquals(List.of(new TextRow(2, "say \"hi\"", "yes", "0"), new TextRow(4, "x", "y", "1")),
        rows);
  }

  @Test
  void tsvWithoutHeaderUsesIndexesAndAllowsExtraTrailingFields() throws IOException {
    Path f = file("b.tsv", "g\t5.0\tone\ttwo\n g\t4.0\tthree\tfour\textra\tmore\n");
    List<TextRow> rows = TableReader.read(spec(f, TableFormat.TSV, "2", "3", "1",
        Optional.empty()));
    assertEquals(List.of(new TextRow(1, "one", "two", "5.0"),
        new TextRow(2, "three", "four", "4.0")), rows);
  }

  @Test
  void raggedRowsAreReportedWithTheirLine() throws IOException {
    Path withHeader = file("c.tsv", "a\tb\tl\nx\ty\t1\nx\ty\n");
    PrepareException e = assertThrows(PrepareException.class, () -> TableReader.read(
        spec(withHeader, TableFormat.TSV, "a", "b", "l", Optional.empty())));
    assertEquals(withHeader + ":3: ragged row: 2 fields, the header has 3", e.getMessage());

    Path noHeader = file("d.tsv", "x\ty\t1\nx\ty\n");
    e = assertThrows(PrepareException.class, () -> TableReader.read(
        spec(noHeader, TableFormat.TSV, "0", "1", "2", Optional.empty())));
    assertEquals(noHeader + ":2: ragged row: 2 fields, label (column '2') needs at least 3",
        e.getMessage());
  }

  @Test
  void aMissingColumnListsTheHeader() throws IOException {
    Path f = file("e.tsv", "a\tb\tl\nx\ty\t1\n");
    PrepareException e = assertThrows(PrepareException.class, () -> TableReader.read(
        spec(f, TableFormat.TSV, "a", "c", "l", Optional.empty())));
    assertEquals(f + ":1: the header has no column named 'c' for --in1 (columns: a, b, l)",
        e.getMessage());
  }

  @Test
  void emptyValuesAreDataErrors() throws IOException {
    Path f = file("f.tsv", "x\ty\t1\nx\t  \t1\n");
    PrepareException e = assertThrows(PrepareException.class, () -> TableReader.read(
        spec(f, TableFormat.TSV, "0", "1", "2", Optional.of(false))));
    assertEquals(f + ":2: empty value in in1 (column '1')", e.getMessage());
  }

  @Test
  void csvQuotedFieldsMaySpanLinesAndRowsReportTheirFirstLine() throws IOException {
    Path f = file("g.csv", "s1,s2,label\n\"a, b\",\"two\nlines\",1\nplain,\"say \"\"hi\"\"\",0\n");
    List<TextRow> rows = TableReader.read(spec(f, TableFormat.CSV, "s1", "s2", "label",
        Optional.empty()));
    assertEquals(List.of(new TextRow(2, "a, b", "two\nlines", "1"),
        new TextRow(4, "plain", "say \"hi\"", "0")), rows);
  }

  @Test
  void csvHeaderCanBeForcedWithIndexColumns() throws IOException {
    Path f = file("h.csv", "s1,s2,label\nx,y,1\n");
    List<TextRow> rows = TableReader.read(spec(f, TableFormat.CSV, "0", "1", "2",
        Optional.of(true)));
    assertEquals(List.of(new TextRow(2, "x", "y", "1")), rows);
  }

  @Test
  void jsonlReadsStringAndNumberFields() throws IOException {
    Path f = file("i.jsonl", "{\"q\": \"hello\", \"item\": 42, \"y\": 3.5}\n\n"
        + "{\"q\": \"bye\", \"item\": 7, \"y\": \"1\"}\n");
    List<TextRow> rows = TableReader.read(spec(f, TableFormat.JSONL, "q", "item", "y",
        Optional.empty()));
    assertEquals(List.of(new TextRow(1, "hello", "42", "3.5"), new TextRow(3, "bye", "7", "1")),
        rows);
  }

  @Test
  void jsonlProblemsNameTheLine() throws IOException {
    Path missing =
        file("j.jsonl", "{\"q\": \"a\", \"r\": \"b\", \"y\": 1}\n{\"q\": \"a\", \"y\": 1}\n");
    assertEquals(missing + ":2: missing field for in1 (column 'r')",
        assertThrows(PrepareException.class, () -> TableReader.read(
            spec(missing, TableFormat.JSONL, "q", "r", "y", Optional.empty()))).getMessage());
    Path broken = file("k.jsonl", "{\"q\": \"a\", \"r\": [1], \"y\": 1}\n");
    assertEquals(broken + ":1: in1 (column 'r') must be a string or a number, found ARRAY",
        assertThrows(PrepareException.class, () -> TableReader.read(
            spec(broken, TableFormat.JSONL, "q", "r", "y", Optional.empty()))).getMessage());
  }

  @Test
  void unreadableFilesAreDataErrorsNamingTheFile() throws IOException {
    Path none = dir.resolve("none.tsv");
    assertEquals(none + ": file not found", assertThrows(PrepareException.class,
        () -> TableReader.read(spec(none, TableFormat.TSV, "0", "1", "2", Optional.empty())))
        .getMessage());
    Path latin1 = dir.resolve("latin1.tsv");
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\t', 'x', '\t', '1', '\n'});
    assertEquals(latin1 + ": not valid UTF-8 text", assertThrows(PrepareException.class,
        () -> TableReader.read(spec(latin1, TableFormat.TSV, "0", "1", "2", Optional.empty())))
        .getMessage());
  }

  @Test
  void columnNamesWithNoHeaderAreAUsageError() {
    assertThrows(IllegalArgumentException.class, () -> spec(Path.of("x.tsv"), TableFormat.TSV,
        "sentence_A", "1", "2", Optional.of(false)));
    assertThrows(IllegalArgumentException.class, () -> spec(Path.of("x.jsonl"),
        TableFormat.JSONL, "a", "b", "c", Optional.of(true)));
  }
}
