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
    assertEquals(dir + ": directory contains no .jsonl files", e.getMessage());
  }
}
