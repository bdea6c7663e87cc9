package dev.o2v.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.train.model.TrainedModel;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("engine")
class BatchInferenceJobTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TrainedModel model;
  private static InferenceRunner runner;

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() throws Exception {
    model = TrainedModel.load(TinyModels.shared(), Device.cpu());
    runner = new InferenceRunner(model, 3);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void resultIAnswersRecordIAcrossBatchesAndWorkers() throws Exception {
    List<InferenceInstance> records = new ArrayList<>();
    Path input = writeMixed(dir.resolve("in.jsonl"), 41, records, -1);
    String out = runJob(input, LineRequests.predict(), 4, 3, InferenceFormat.JSONLINES);
    List<String> lines = out.lines().toList();
    List<InferenceResult> expected = runner.infer(records);
    assertEquals(records.size(), lines.size(), "one output line per record");
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      String key = records.get(i).isPair() ? "scores" : "embeddings";
      assertTrue(line.has(key), "line " + i + " should carry " + key + ": " + lines.get(i));
      assertArrayEquals(expected.get(i).values(), floats(line.get(key)), 1e-5f, "line " + i);
    }
  }

  @Test
  void jsonDocumentEqualsTheJsonLines() throws Exception {
    Path input = writeMixed(dir.resolve("in.jsonl"), 9, new ArrayList<>(), -1);
    String lines = runJob(input, LineRequests.predict(), 2, 2, InferenceFormat.JSONLINES);
    JsonNode doc = JSON.readTree(runJob(input, LineRequests.predict(), 2, 2, InferenceFormat.JSON));
    List<JsonNode> fromLines = new ArrayList<>();
    for (String line : lines.lines().toList()) {
      fromLines.add(JSON.readTree(line));
    }
    List<JsonNode> fromDoc = new ArrayList<>();
    doc.get("predictions").forEach(fromDoc::add);
    assertEquals(fromLines, fromDoc);
  }

  @Test
  void embedModeWithARequiredSideEmbedsThatSideOfPairs() throws Exception {
    List<InferenceInstance> records = new ArrayList<>();
    Path input = writeMixed(dir.resolve("pairs.jsonl"), 7, records, 0);
    String out = runJob(input, LineRequests.embed(1, true), 3, 2, InferenceFormat.TSV);
    List<String> rows = out.lines().toList();
    assertEquals(records.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      float[] want =
          runner.infer(List.of(InferenceInstance.single(1, records.get(i).in1()))).get(0).values();
      float[] got = parseTsv(rows.get(i));
      assertArrayEquals(want, got, 1e-5f, "row " + i);
    }
  }

  @Test
  void embedModeRejectsALineWithoutTheRequiredSide() throws Exception {
    Path input = dir.resolve("one.jsonl");
    Files.writeString(input, "{\"in0\":[1,2]}\n\n{\"in1\":[3]}\n");
    DataFormatException e =
        assertThrows(DataFormatException.class,
            () -> runJob(input, LineRequests.embed(0, true), 2, 1, InferenceFormat.JSONLINES));
    assertEquals(3, e.line(), e.getMessage());
    String lenient = runJob(input, LineRequests.embed(0, false), 2, 1, InferenceFormat.JSONLINES);
    assertEquals(2, lenient.lines().count(), "an optional side embeds whatever side a line has");
  }

  @Test
  void aBadLineStopsTheJobAndLeavesNoOutputFile() throws Exception {
    List<InferenceInstance> records = new ArrayList<>();
    Path input = writeMixed(dir.resolve("in.jsonl"), 30, records, -1);
    List<String> lines = new ArrayList<>(Files.readAllLines(input));
    lines.set(22, "{\"in0\":[1," + TinyModels.VOCAB0 + "]}");
    Files.write(input, lines);
    Path outDir = Files.createDirectory(dir.resolve("out"));
    Path out = outDir.resolve("result.jsonl");
    BatchInferenceJob job =
        new BatchInferenceJob(runner,
            new BatchInferenceJob.Options(LineRequests.predict(), null, 4, 2));
    DataFormatException e =
        assertThrows(DataFormatException.class,
            () -> job.runToFile(Channel.of(input), out, InferenceFormat.JSONLINES,
                InferenceProgress.silent()));
    assertEquals(input.toString() + ":23", e.source() + ":" + e.line(), e.getMessage());
    try (Stream<Path> left = Files.list(outDir)) {
      assertEquals(List.of(), left.toList(), "no output or temporary file may remain");
    }
  }

  @Test
  void aCompleteRunRenamesTheOutputIntoPlace() throws Exception {
    Path input = writeMixed(dir.resolve("in.jsonl"), 5, new ArrayList<>(), -1);
    Path out = dir.resolve("result.jsonl");
    BatchInferenceJob job =
        new BatchInferenceJob(runner,
            new BatchInferenceJob.Options(LineRequests.predict(), null, 2, 1));
    BatchInferenceJob.Summary summary =
        job.runToFile(Channel.of(input), out, InferenceFormat.JSONLINES, InferenceProgress.silent());
    assertEquals(5, summary.records());
    assertEquals(5, Files.readAllLines(out).size());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("in.jsonl", "result.jsonl"),
          files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
    }
  }

  @Test
  void truncationOverrideCutsTheInputLines() throws Exception {
    Path input = dir.resolve("long.jsonl");
    Files.writeString(input, "{\"in0\":[1,2,3,4,5,6]}\n{\"in0\":[1,2]}\n");
    String out =
        runJob(input, LineRequests.predict(), new TruncationLengths(2, 3), InferenceFormat.TSV);
    List<String> rows = out.lines().toList();
    assertArrayEquals(parseTsv(rows.get(1)), parseTsv(rows.get(0)), 1e-6f,
        "the first line cut to 2 ids must equal the second line");
    String uncut = runJob(input, LineRequests.predict(), null, InferenceFormat.TSV);
    assertFalse(Arrays.equals(parseTsv(uncut.lines().toList().get(0)), parseTsv(rows.get(0))),
        "without the override the 6-id line embeds differently");
  }

  private static String runJob(
      Path input, LineRequests requests, int batchSize, int workers, InferenceFormat format)
      throws Exception {
    BatchInferenceJob job =
        new BatchInferenceJob(
            runner, new BatchInferenceJob.Options(requests, null, batchSize, workers));
    StringWriter out = new StringWriter();
    job.runToStream(Channel.of(input), out, format, InferenceProgress.silent());
    return out.toString();
  }

  private static String runJob(
      Path input, LineRequests requests, TruncationLengths lengths, InferenceFormat format)
      throws Exception {
    BatchInferenceJob job =
        new BatchInferenceJob(runner, new BatchInferenceJob.Options(requests, lengths, 8, 1));
    StringWriter out = new StringWriter();
    job.runToStream(Channel.of(input), out, format, InferenceProgress.silent());
    return out.toString();
  }

  /**
   * Writes {@code count} records (pairs, in0 only, in1 only in turn, unless {@code onlyPairs} is
   * 0) with a label field and a blank line after every fifth, and collects them.
   */
  static Path writeMixed(Path file, int count, List<InferenceInstance> records, int onlyPairs)
      throws Exception {
    SplittableRandom rng = new SplittableRandom(file.toString().length() + count);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int[] in0 = TinyModels.randomIds(rng, TinyModels.VOCAB0, 14);
      int[] in1 = TinyModels.randomIds(rng, TinyModels.VOCAB1, 11);
      int kind = onlyPairs == 0 ? 0 : i % 3;
      InferenceInstance record =
          kind == 0
              ? InferenceInstance.pair(in0, in1)
              : (kind == 1 ? InferenceInstance.single(0, in0) : InferenceInstance.single(1, in1));
      records.add(record);
      text.append("{\"label\":1");
      if (record.has(0)) {
        text.append(",\"in0\":").append(Arrays.toString(in0).replace(" ", ""));
      }
      if (record.has(1)) {
        text.append(",\"in1\":").append(Arrays.toString(in1).replace(" ", ""));
      }
      text.append("}\n");
      if (i % 5 == 4) {
        text.append("\n");
      }
    }
    Files.writeString(file, text);
    return file;
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }

  private static float[] parseTsv(String row) {
    String[] parts = row.split("\t");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Float.parseFloat(parts[i]);
    }
    return values;
  }
}
