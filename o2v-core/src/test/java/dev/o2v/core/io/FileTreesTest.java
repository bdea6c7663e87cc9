package dev.o2v.core.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir Path dir;

  @Test
  void aTreeGoesWithEverythingBelowItButNotWhatALinkInItPointsTo() throws IOException {
    Path kept = Files.createDirectories(dir.resolve("kept"));
    Path outside = Files.writeString(kept.resolve("f"), "x");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("file"), "y");
    Files.createSymbolicLink(dir.resolve("tree/link"), kept);

    FileTrees.deleteTree(dir.resolve("tree"));

    assertFalse(Files.exists(dir.resolve("tree")), "the tree is gone");
    assertTrue(Files.exists(outside), "the link's target is left alone");
  }

  @Test
  void aMissingTreeIsNothingToDo() throws IOException {
    FileTrees.deleteTree(dir.resolve("absent"));
    assertFalse(Files.exists(dir.resolve("absent")));
  }
}
