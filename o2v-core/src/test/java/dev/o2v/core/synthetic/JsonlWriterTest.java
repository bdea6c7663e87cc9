package dev.o2v.core.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlWriterTest {

  @TempDir Path dir;

  @Test
  void writesTheSpecLayout() throws IOException {
    StringWriter out = new StringWriter();
    try (JsonlWriter w = new JsonlWriter(out, true)) {
      w.write(new PairExample(new int[] {6, 17}, new int[] {16, 21, 13}, 1));
    }
    assertEquals("{\"label\": 1, \"in0\": [6, 17], \"in1\": [16, 21, 13]}\n", out.toString());
  }

  @Test
  void classExamplesRoundTripThroughTheReader() throws IOException {
    SyntheticPairTask task = new SyntheticPairTask(SyntheticPairTask.Config.classification());
    List<PairExample> examples = task.generate(300, new SplittableRandom(8));
    Path file = dir.resolve("data.jsonl");
    JsonlWriter.writeAll(file, examples, true);
    // Reading back what was written: id 0 stays an ordinary id here.
    PairDataset data =
        new JsonlRecordReader(task.schema().withZeroIds(ZeroIdRule.TOKEN)).load(Channel.of(file));
    assertEquals(300, data.size());
    for (int i = 0; i < 300; i++) {
      assertArrayEquals(examples.get(i).in0(), data.ids(0, i), "in0 of " + i);
      assertArrayEquals(examples.get(i).in1(), data.ids(1, i), "in1 of " + i);
      assertEquals(examples.get(i).label(), data.label(i), "label of " + i);
    }
  }

  @Test
  void regressionLabelsRoundTripAtFloatPrecision() throws IOException {
    MovieLensLikeRatings model = new MovieLensLikeRatings(
        new MovieLensLikeRatings.Config(20, 30, 400, 2, 5, 3, 3.5, 0.3, 0.4, 0.5, 0.8), 2);
    List<PairExample> train = model.generate().train();
    Path file = dir.resolve("ratings.jsonl");
    JsonlWriter.writeAll(file, train, false);
    PairDataset data =
        new JsonlRecordReader(model.schema().withZeroIds(ZeroIdRule.TOKEN)).load(Channel.of(file));
    assertEquals(train.size(), data.size());
    for (int i = 0; i < train.size(); i++) {
      assertEquals((float) train.get(i).label(), data.label(i), "label of " + i);
    }
  }
}
