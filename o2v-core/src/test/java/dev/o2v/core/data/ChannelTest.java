package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTest {

  @TempDir Path dir;

  @Test
  void aFileIsAChannelOfItselfWhateverItsExtension() throws IOException {
    Path file = Files.writeString(dir.resolve("train.json"), "");
    assertEquals(List.of(file), Channel.of(file).files());
  }

  @Test
  void aDirectoryListsItsJsonlFilesByName() throws IOException {
    Path b = Files.writeString(dir.resolve("part-10.jsonl"), "");
    Path a = Files.writeString(dir.resolve("part-09.jsonl"), "");
    Files.writeString(dir.resolve("readme.txt"), "");
    Files.createDirectory(dir.resolve("nested.jsonl"));
    assertEquals(List.of(a, b), Channel.of(dir).files());
  }

  @Test
  void missingPathIsNamed() {
    Path missing = dir.resolve("nope.jsonl");
    ChannelException e = assertThrows(ChannelException.class, () -> Channel.of(missing));
    assertEquals(missing + ": no such file or directory", e.getMessage());
  }

  @Test
  void directoryWithoutJsonlIsNamed() throws IOException {
    Files.writeString(dir.resolve("data.csv"), "");
    ChannelException e = assertThrows(ChannelException.class, () -> Channel.of(dir));
    assertEquals(dir + ": directory contains no .jsonl files (found data.csv)", e.getMessage());
  }

  @Test
  void theJsonlExtensionMatchesInAnyCase() throws IOException {
    Path upper = Files.writeString(dir.resolve("A.JSONL"), "");
    Path mixed = Files.writeString(dir.resolve("b.JsonL"), "");
    Files.writeString(dir.resolve("c.json"), "");
    assertEquals(List.of(upper, mixed), Channel.of(dir).files());
  }

  @Test
  void aSymbolicLinkLoopIsCalledALoop() throws IOException {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    ChannelException e = assertThrows(ChannelException.class, () -> Channel.of(a));
    assertEquals(a + ": symbolic link loop", e.getMessage());
  }

  @Test
  void aBrokenSymbolicLinkIsCalledBroken() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), dir.resolve("gone.jsonl"));
    ChannelException e = assertThrows(ChannelException.class, () -> Channel.of(link));
    assertEquals(link + ": broken symbolic link (its target does not exist)", e.getMessage());
  }
}
