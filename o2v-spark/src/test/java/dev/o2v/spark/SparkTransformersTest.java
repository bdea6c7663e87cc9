package dev.o2v.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import dev.o2v.api.TinyTextModel;
import dev.o2v.core.data.Channel;
import dev.o2v.inference.BatchInferenceJob;
import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.LineRequests;
import dev.o2v.train.model.TrainedModel;
import example.EmbedJsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformers on a local[2] Spark, against the batch command and the in-process API. */
@Tag("engine")
class SparkTransformersTest {

  private static final int ROWS = 600;

  private static SparkSession spark;
  private static Path model;

  @TempDir static Path dir;

  @BeforeAll
  static void startSpark() throws IOException {
    model = TinyTextModel.shared();
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("o2v-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** {"id": i, "in0": [...], "in1": [...]} lines with random ids of random lengths. */
  private static Path idRows(String name, int count) throws IOException {
    SplittableRandom rng = new SplittableRandom(count);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add("{\"id\": " + i + ", \"in0\": " + json(TinyTextModel.randomIds(rng, 14))
          + ", \"in1\": " + json(TinyTextModel.randomIds(rng, 11)) + "}");
    }
    return Files.write(dir.resolve(name), lines);
  }

  private static String json(int[] ids) {
    return Arrays.stream(ids).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** What {@code o2v embed --side in0 --format jsonl} writes for {@code input}, parsed. */
  private static List<float[]> batchCommandEmbeddings(Path input) throws IOException {
    Path out = dir.resolve("cli-" + input.getFileName());
    try (TrainedModel trained = TrainedModel.load(model, Device.cpu())) {
      // The command's defaults: 1024 lines per batch, 2 workers, forwards of 256 rows.
      InferenceRunner runner = new InferenceRunner(trained, 256);
      new BatchInferenceJob(runner,
              new BatchInferenceJob.Options(LineRequests.embed(0, true), null, 1024, 2))
          .runToFile(Channel.of(input), out, InferenceFormat.JSONLINES, InferenceProgress.silent());
    }
    List<float[]> vectors = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      String inside = line.substring(line.indexOf('[') + 1, line.lastIndexOf(']'));
      String[] parts = inside.split(",");
      float[] v = new float[parts.length];
      for (int i = 0; i < parts.length; i++) {
        v[i] = Float.parseFloat(parts[i]);
      }
      vectors.add(v);
    }
    return vectors;
  }

  private static float[] floats(Row row, String column) {
    List<Object> values = row.getList(row.fieldIndex(column));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Float) values.get(i);
    }
    return out;
  }

  @Test
  void readmeJobEmbedsJsonLinesToParquetExactlyAsTheBatchCommand() throws Exception {
    Path input = idRows("rows.jsonl", ROWS);
    Path parquet = dir.resolve("embedded.parquet");

    EmbedJsonLines.main(new String[] {model.toString(), input.toString(), parquet.toString()});

    List<Row> rows = spark.read().parquet(parquet.toString()).orderBy("id").collectAsList();
    List<float[]> expected = batchCommandEmbeddings(input);
    assertEquals(ROWS, rows.size());
    for (int i = 0; i < ROWS; i++) {
      assertEquals(i, rows.get(i).getLong(rows.get(i).fieldIndex("id")));
      // assertArrayEquals on floats compares bit patterns: bit-for-bit equality.
      assertArrayEquals(expected.get(i), floats(rows.get(i), "embedding"), "row " + i);
    }
  }

  @Test
  void readmeShowsTheSparkExampleAsItIs() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String marker = "<!-- example: o2v-spark/src/test/java/example/EmbedJsonLines.java";
    int at = readme.indexOf(marker);
    assertTrue(at >= 0, "README.md lacks the marker " + marker);
    int start = readme.indexOf("```java\n", at) + "```java\n".length();
    String source = Files.readString(Path.of("src/test/java/example/EmbedJsonLines.java"));
    String withoutPackage = source.substring(source.indexOf('\n') + 1).stripLeading();
    assertEquals(withoutPackage, readme.substring(start, readme.indexOf("```", start)));
  }

  @Test
  void vectorsAndTextAndIn1WorkAndMatchTheInProcessModel() throws Exception {
    List<String> texts = List.of("A man plays the guitar", "kids play in the yard", "cat");
    Dataset<Row> frame = spark.createDataFrame(
        texts.stream().map(t -> org.apache.spark.sql.RowFactory.create(t)).toList(),
        new org.apache.spark.sql.types.StructType().add("text", "string"));
    ModelTransformer embedder = new Object2VecEmbedder()
        .setSide("in1").setInputCol("text").setModelDir(model.toString())
        .setOutputType(ModelTransformer.VECTOR);
    List<Row> rows = embedder.transform(frame).collectAsList();
    try (Object2VecModel direct = Object2VecModel.open(model)) {
      float[][] expected = direct.embedText(Side.IN1, texts);
      for (int i = 0; i < texts.size(); i++) {
        Vector v = (Vector) rows.get(i).get(1);
        float[] got = new float[v.size()];
        for (int k = 0; k < got.length; k++) {
          got[k] = (float) v.apply(k);
        }
        // Spark's partitions batch the texts otherwise than one call does, so the products may
        // round differently in the last bit (as the README says), no more.
        assertWithinUlps(expected[i], got, 4, "text " + i);
      }
    }
  }

  private static void assertWithinUlps(float[] expected, float[] actual, int ulps, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int k = 0; k < expected.length; k++) {
      float tolerance = ulps * Math.ulp(Math.max(Math.abs(expected[k]), Math.abs(actual[k])));
      assertEquals(expected[k], actual[k], tolerance, what + ", element " + k);
    }
  }

  @Test
  void pairScoresMatchTheInProcessModel() throws Exception {
    Path input = idRows("pairs.jsonl", 50);
    List<Row> rows = new Object2VecPairScorer().setModelDir(model.toString())
        .transform(spark.read().json(input.toString()).orderBy("id")).collectAsList();
    try (Object2VecModel direct = Object2VecModel.open(model)) {
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        float[][] expected = direct.score(List.of(ids(row, "in0")), List.of(ids(row, "in1")));
        // Scored alone here, in a batch there: the MLP's matrix products round differently.
        assertArrayEquals(expected[0], floats(row, "scores"), 1e-6f, "pair " + i);
      }
    }
  }

  private static int[] ids(Row row, String column) {
    return row.<Long>getList(row.fieldIndex(column)).stream().mapToInt(Long::intValue).toArray();
  }

  @Test
  void nullInputsGiveNullOutputs() throws IOException {
    Path input = Files.write(dir.resolve("nulls.jsonl"), List.of(
        "{\"id\": 0, \"in0\": [1, 2], \"in1\": [3]}",
        "{\"id\": 1, \"in1\": [3]}",
        "{\"id\": 2, \"in0\": null, \"in1\": null}",
        "{\"id\": 3, \"in0\": [4], \"in1\": [5, 6]}"));
    Dataset<Row> frame = spark.read().json(input.toString()).orderBy("id");
    List<Row> embedded = new Object2VecEmbedder().setModelDir(model.toString())
        .transform(frame).collectAsList();
    List<Row> scored = new Object2VecPairScorer().setModelDir(model.toString())
        .transform(frame).collectAsList();
    for (int id : new int[] {1, 2}) {
      assertNull(embedded.get(id).get(embedded.get(id).fieldIndex("embedding")), "row " + id);
      assertNull(scored.get(id).get(scored.get(id).fieldIndex("scores")), "row " + id);
    }
    assertEquals(TinyTextModel.ENC_DIM, floats(embedded.get(3), "embedding").length);
    assertEquals(TinyTextModel.CLASSES, floats(scored.get(0), "scores").length);
  }

  @Test
  void aRowWithAnIdOutsideTheVocabularyFailsTheJobNamingTheRow() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add("{\"in0\": [" + (i == 7 ? "1, 999" : "1, 2") + "]}");
    }
    Path input = Files.write(dir.resolve("bad.jsonl"), lines);
    Dataset<Row> frame = spark.read().json(input.toString()).coalesce(1);
    Exception e = assertThrows(Exception.class, () -> new Object2VecEmbedder()
        .setModelDir(model.toString()).transform(frame).collectAsList());
    String message = rootMessage(e);
    assertTrue(message.contains("partition 0, row 7 (in0 = [1, 999]): in0[1] = 999 is outside"
        + " the vocabulary [0, " + TinyTextModel.VOCAB + ")"), message);
  }

  @Test
  void aRowWithANullIdFailsTheJobNamingTheRow() throws IOException {
    Path input = Files.write(dir.resolve("null-id.jsonl"), List.of(
        "{\"in0\": [1, 2]}", "{\"in0\": [3]}", "{\"in0\": [4, null, 5]}"));
    Dataset<Row> frame = spark.read().json(input.toString()).coalesce(1);
    Exception e = assertThrows(Exception.class, () -> new Object2VecEmbedder()
        .setModelDir(model.toString()).transform(frame).collectAsList());
    String message = rootMessage(e);
    assertTrue(message.contains("partition 0, row 2 (in0 = [4, null, 5]): in0[1] is null"),
        message);
  }

  private static String rootMessage(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  @Test
  void eachJvmOpensAModelOnceForAllPartitionsAndCopiesAUriToLocalDisk() throws IOException {
    Path input = idRows("many-partitions.jsonl", 200);
    Dataset<Row> frame = spark.read().json(input.toString()).repartition(8);
    int before = ExecutorModels.opened();
    long rows = new Object2VecEmbedder().setModelDir(model.toUri().toString()) // file:/...
        .transform(frame).count();
    List<Row> again = new Object2VecEmbedder().setModelDir(model.toUri().toString())
        .transform(frame).collectAsList();
    assertEquals(200, rows);
    assertEquals(200, again.size());
    assertEquals(before + 1, ExecutorModels.opened(),
        "models opened for 2 jobs of 8 partitions under one location");
  }

  @Test
  void aDirectoryAddedToTheSparkContextIsFoundByName() throws IOException {
    spark.sparkContext().addFile(model.toString(), true);
    Path input = idRows("fetched.jsonl", 20);
    List<Row> rows = new Object2VecEmbedder().setModelDir(model.getFileName().toString())
        .transform(spark.read().json(input.toString())).collectAsList();
    assertEquals(20, rows.size());
    assertEquals(TinyTextModel.ENC_DIM, floats(rows.get(0), "embedding").length);
  }
}
