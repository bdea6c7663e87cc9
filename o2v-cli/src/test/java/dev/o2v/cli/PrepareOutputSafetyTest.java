package dev.o2v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code o2v prepare --out} holds one run's complete output or what it held before: a non-empty
 * directory is replaced only with {@code --overwrite}, only once the new output is complete, and
 * without leaving files of the earlier run.
 */
class PrepareOutputSafetyTest {

  private static final String GOOD = "x y\tz\tyes\nx\tz y\tno\ny\tx\tyes\nz z\ty\tno\n";
  private static final String BAD = "x\ty\tyes\nx\ty\tmaybe\n";

  @TempDir Path dir;

  private CliRunner.Result prepare(Path input, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("prepare", "--input", input.toString(),
        "--format", "tsv", "--in0", "0", "--in1", "1", "--label", "2", "--label-map",
        "no=0,yes=1", "--out", out.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private Path table(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void aNonEmptyOutIsRefusedWithoutOverwriteAndLeftAsItWas() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    Map<String, byte[]> before = TrainFixture.snapshot(out);
    CliRunner.Result r = prepare(table("good.tsv", GOOD), out);
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
    assertTrue(err.contains("already holds notes.txt") && err.contains("--overwrite"), err);
    assertEquals(List.of(), TrainFixture.lostOrChanged(before, TrainFixture.snapshot(out)));
    assertEquals(before.keySet(), TrainFixture.snapshot(out).keySet());
  }

  @Test
  void aFailedRunLeavesThePreviousOutputUntouchedEvenWithOverwrite() throws IOException {
    Path out = dir.resolve("out");
    assertEquals(0, prepare(table("good.tsv", GOOD), out).exitCode());
    Map<String, byte[]> before = TrainFixture.snapshot(out);
    CliRunner.Result r = prepare(table("bad.tsv", BAD), out, "--overwrite");
    TrainFixture.assertOneLineRefusal(ExitCodes.DATA, r);
    assertEquals(List.of(), TrainFixture.lostOrChanged(before, TrainFixture.snapshot(out)));
    assertEquals(before.keySet(), TrainFixture.snapshot(out).keySet());
    assertEquals(Set.of("bad.tsv", "good.tsv", "out"), names(dir), "nothing left beside --out");
  }

  @Test
  void anOverwriteLeavesNoFileOfTheEarlierRun() throws IOException {
    Path out = dir.resolve("out");
    Path input = table("good.tsv", GOOD);
    assertEquals(0, prepare(input, out, "--split", "train=0.5,validation=0.25,test=0.25")
        .exitCode());
    assertTrue(Files.exists(out.resolve("test.jsonl")), "first run's test part");
    CliRunner.Result r = prepare(input, out, "--overwrite");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals(Set.of("hp.json", "tokenizer.json", "train.jsonl", "vocab.json"), names(out));
  }

  @Test
  void aRunClearsTheStagingDirectoryOfAKilledRun() throws IOException, InterruptedException {
    Path out = dir.resolve("out");
    Path leftover = Files.createDirectories(dir.resolve(".out.staging-" + deadPid()));
    Files.writeString(leftover.resolve("train.jsonl"), "half written");
    assertEquals(0, prepare(table("good.tsv", GOOD), out).exitCode());
    assertEquals(Set.of("good.tsv", "out"), names(dir), "nothing left beside --out");
  }

  @Test
  void aRunPutsBackTheOutputAKilledRunHadSetAside() throws IOException, InterruptedException {
    Path out = dir.resolve("out");
    Path input = table("good.tsv", GOOD);
    assertEquals(0, prepare(input, out).exitCode());
    Map<String, byte[]> before = TrainFixture.snapshot(out);
    // A run killed between its two moves: the old output set aside, the new one not in place.
    Files.move(out, dir.resolve(".out.previous-" + deadPid()));
    CliRunner.Result r = prepare(input, out);
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.IO, r);
    assertTrue(err.contains("already holds"), err);
    assertEquals(List.of(), TrainFixture.lostOrChanged(before, TrainFixture.snapshot(out)));
    assertEquals(Set.of("good.tsv", "out"), names(dir), "nothing left beside --out");
  }

  /** The id of a process that has ended. */
  private static long deadPid() throws IOException, InterruptedException {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    return done.pid();
  }

  @Test
  void overwriteRefusesAnOutThatHoldsAnInput() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path input = Files.writeString(out.resolve("pairs.tsv"), GOOD);
    CliRunner.Result r = prepare(input, out, "--overwrite");
    String err = TrainFixture.assertOneLineRefusal(ExitCodes.USAGE, r);
    assertTrue(err.contains("holds the input " + input), err);
    assertEquals(GOOD, Files.readString(input));
  }

  /**
   * Seeded random earlier contents of {@code --out} (nothing, an empty directory, a file, foreign
   * files, an earlier output with extras), random {@code --overwrite}, and good or bad input:
   * nothing that was there is lost without {@code --overwrite}, a failed run changes nothing, a
   * successful one leaves exactly its own files, and nothing is left beside {@code --out}.
   */
  @Test
  void randomEarlierContentsOfOutAreNeverLostWithoutOverwrite() throws IOException {
    Path good = table("good.tsv", GOOD);
    Path bad = table("bad.tsv", BAD);
    Path reference = dir.resolve("reference");
    assertEquals(0, prepare(good, reference).exitCode());
    Set<String> produced = names(reference);
    SplittableRandom random = new SplittableRandom(20261205);
    for (int c = 0; c < 40; c++) {
      Path work = Files.createDirectories(dir.resolve("case-" + c));
      Path out = work.resolve("out");
      int shape = random.nextInt(5);
      if (shape == 1) {
        Files.createDirectory(out);
      } else if (shape == 2) {
        Files.writeString(out, "a file where a directory should be");
      } else if (shape == 3) {
        randomFiles(out, random);
      } else if (shape == 4) {
        assertEquals(0, prepare(good, out, "--split", "train=0.5,validation=0.5").exitCode());
        if (random.nextBoolean()) {
          randomFiles(out, random);
        }
      }
      Map<String, byte[]> before = TrainFixture.snapshot(out);
      boolean overwrite = random.nextBoolean();
      boolean badInput = random.nextInt(4) == 0;
      CliRunner.Result r = overwrite ? prepare(badInput ? bad : good, out, "--overwrite")
          : prepare(badInput ? bad : good, out);
      String what = "case " + c + " (shape " + shape + ", overwrite " + overwrite + ", bad input "
          + badInput + "): " + r.err();
      if (r.exitCode() != 0) {
        TrainFixture.assertOneLineRefusal(r.exitCode(), r);
        assertEquals(List.of(), TrainFixture.lostOrChanged(before, TrainFixture.snapshot(out)),
            what);
        assertEquals(before.keySet(), TrainFixture.snapshot(out).keySet(), what);
      } else {
        assertTrue(!badInput && (overwrite || before.isEmpty()), what);
        assertEquals(produced, names(out), what);
      }
      assertTrue(names(work).stream().allMatch("out"::equals),
          "nothing left beside --out: " + names(work) + "; " + what);
    }
  }

  private static void randomFiles(Path out, SplittableRandom random) throws IOException {
    String[] names = {"train.jsonl", "hp.json", "notes.txt", "vocab.json", "validation.jsonl",
        "old", "x.tsv"};
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      Path file = out.resolve(random.nextBoolean() ? "" : "sub")
          .resolve(names[random.nextInt(names.length)]);
      Files.createDirectories(file.getParent());
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      Files.write(file, bytes);
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).collect(
          java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }
}
