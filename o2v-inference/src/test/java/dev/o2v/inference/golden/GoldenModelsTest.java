package dev.o2v.inference.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.train.model.ModelManifest;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every checked-in golden model directory (one per format version, see {@link GoldenModels})
 * still loads and gives the answers recorded when it was made.
 */
class GoldenModelsTest {

  private static final double TOLERANCE = 1e-5;

  @Test
  void everyGoldenModelGivesTheAnswersRecordedWhenItWasMade() throws Exception {
    List<Path> models = goldenModelDirs();
    assertFalse(models.isEmpty(), "no golden model directories found");
    for (Path dir : models) {
      List<GoldenModels.GoldenCase> cases =
          GoldenModels.readCases(dir.resolve(GoldenModels.EXPECTED));
      try (TrainedModel model = TrainedModel.load(dir.resolve(GoldenModels.MODEL), Device.cpu())) {
        List<InferenceInstance> inputs = new ArrayList<>();
        cases.forEach(c -> inputs.add(c.input()));
        // One record per forward, then all at once: batching must not change an answer either.
        compare(dir, cases, new InferenceRunner(model, 1).infer(inputs));
        compare(dir, cases, new InferenceRunner(model).infer(inputs));
      }
    }
  }

  @Test
  void eachGoldenDirectoryHoldsAModelOfItsOwnFormatVersion() throws Exception {
    for (Path dir : goldenModelDirs()) {
      String versionDir = dir.getParent().getFileName().toString();
      ModelManifest manifest = ModelManifest.readFrom(dir.resolve(GoldenModels.MODEL));
      assertEquals(
          versionDir, "v" + manifest.formatVersion(), dir + " holds a model of another version");
    }
  }

  @Test
  void theNewestFormatVersionHasAGoldenModel() throws Exception {
    boolean found =
        goldenModelDirs().stream()
            .anyMatch(
                d -> d.getParent().getFileName().toString()
                    .equals("v" + ModelManifest.FORMAT_VERSION));
    assertTrue(found, "no golden model of format version " + ModelManifest.FORMAT_VERSION
        + "; make one as GoldenModels describes");
  }

  /** Writes the golden models of the current format version when asked to (see GoldenModels). */
  @Test
  @EnabledIfSystemProperty(named = "o2v.golden.write", matches = ".+")
  void writesTheGoldenModelsOfTheCurrentVersionWhenAsked() throws IOException {
    Path root = Paths.get(System.getProperty("o2v.golden.write"));
    GoldenModels.writeAll(root, ModelManifest.FORMAT_VERSION >= 2);
  }

  /** Recomputes the answers of one version's golden models when asked to (see GoldenModels). */
  @Test
  @EnabledIfSystemProperty(named = "o2v.golden.recompute", matches = ".+")
  void recomputesTheAnswersOfOneVersionWhenAsked() throws IOException {
    GoldenModels.recomputeExpected(Paths.get(System.getProperty("o2v.golden.recompute")));
  }

  private static void compare(
      Path dir, List<GoldenModels.GoldenCase> cases, List<InferenceResult> results) {
    for (int i = 0; i < cases.size(); i++) {
      GoldenModels.GoldenCase c = cases.get(i);
      InferenceResult r = results.get(i);
      String what =
          String.format(
              Locale.ROOT,
              "%s case %d (in0=%s, in1=%s)",
              dir.getParent().getFileName() + "/" + dir.getFileName(),
              i,
              Arrays.toString(c.input().in0()),
              Arrays.toString(c.input().in1()));
      assertEquals(c.scores(), r.isScores(), what + ": kind of answer");
      float[] actual = r.values();
      assertEquals(c.expected().length, actual.length, what + ": width");
      for (int k = 0; k < actual.length; k++) {
        assertEquals(
            c.expected()[k],
            actual[k],
            TOLERANCE,
            what + " value " + k + ": expected " + Arrays.toString(c.expected()) + " got "
                + Arrays.toString(actual));
      }
    }
  }

  private static List<Path> goldenModelDirs() throws IOException, URISyntaxException {
    Path root = Paths.get(GoldenModelsTest.class.getResource("/golden").toURI());
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> versions = Files.list(root)) {
      for (Path version : (Iterable<Path>) versions.sorted()::iterator) {
        try (Stream<Path> models = Files.list(version)) {
          models.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
      }
    }
    return dirs;
  }
}
