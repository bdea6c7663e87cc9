package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.io.BoundedText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {

  @TempDir Path dir;

  private ModelManifest manifestOver(String... names) throws IOException {
    Map<String, ModelManifest.FileEntry> files = new java.util.HashMap<>();
    for (String name : names) {
      files.put(name, ModelManifest.FileEntry.of(dir, name));
    }
    return new ModelManifest(
        ModelManifest.FORMAT, ModelManifest.FORMAT_VERSION, "t", "d", "p", "now", 3, files);
  }

  @Test
  void aWrittenManifestReadsBackAndNamesItsFiles() throws IOException {
    AtomicFiles.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
    manifestOver("a.bin").writeTo(dir);
    ModelManifest read = ModelManifest.readFrom(dir);
    assertEquals(3, read.bestEpoch());
    assertEquals(dir.resolve("a.bin"), read.path(dir, "a.bin"));
    try (var listing = Files.list(dir)) {
      assertTrue(listing.noneMatch(p -> p.toString().endsWith(".tmp")), "no temp files left");
    }
  }

  @Test
  void versionOneModelsReadIdZeroAsATokenAndNewerOnesAsPadding() throws IOException {
    AtomicFiles.write(dir.resolve("a.bin"), new byte[] {1});
    for (int version = ModelManifest.OLDEST_VERSION;
        version <= ModelManifest.FORMAT_VERSION;
        version++) {
      new ModelManifest(ModelManifest.FORMAT, version, "t", "d", "p", "now", 0,
              Map.of("a", ModelManifest.FileEntry.of(dir, "a.bin")))
          .writeTo(dir);
      ZeroIdRule expected = version == 1 ? ZeroIdRule.TOKEN : ZeroIdRule.PADDING;
      assertEquals(expected, ModelManifest.readFrom(dir).zeroIds(), "version " + version);
    }
    assertEquals(ZeroIdRule.PADDING, manifestOver("a.bin").zeroIds(), "what this code writes");
  }

  @Test
  void aVersionNewerThanThisCodeIsRefusedSayingWhatToDo() throws IOException {
    AtomicFiles.write(dir.resolve("a.bin"), new byte[] {1});
    int newer = ModelManifest.FORMAT_VERSION + 1;
    new ModelManifest(ModelManifest.FORMAT, newer, "9.9", "d", "p", "now", 0,
            Map.of("a", ModelManifest.FileEntry.of(dir, "a.bin")))
        .writeTo(dir);
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertTrue(
        e.getMessage().contains("model format version " + newer + " is not supported")
            && e.getMessage().contains("use a newer o2v")
            && !e.getMessage().contains("\n"),
        e.getMessage());
  }

  @Test
  void aDirectoryWithoutManifestIsNotAModel() {
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
  }

  @Test
  void aMissingDirectoryIsNamedAsMissing() {
    Path missing = dir.resolve("not-there");
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(missing));
    assertTrue(e.getMessage().contains("not-there") && e.getMessage().contains("no such model"),
        e.getMessage());
  }

  @Test
  void aModelDirectoryThatIsALinkLoopOrABrokenLinkIsCalledSo() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    ModelFormatException loop =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(a));
    assertEquals(a + ": symbolic link loop", loop.getMessage());

    Path broken = Files.createSymbolicLink(dir.resolve("broken"), dir.resolve("gone"));
    ModelFormatException dangling =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(broken));
    assertEquals(broken + ": broken symbolic link (its target does not exist)",
        dangling.getMessage());
  }

  @Test
  void aManifestBeyondTheSizeLimitIsRefusedInOneLineWithoutReadingItAll() throws IOException {
    // Sparse: three gigabytes that take no disk space, more than one Java array can hold.
    try (RandomAccessFile huge =
        new RandomAccessFile(dir.resolve(ModelManifest.FILE_NAME).toFile(), "rw")) {
      huge.setLength(3L << 30);
    }
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertEquals(dir.resolve(ModelManifest.FILE_NAME) + ": unreadable manifest: larger than "
        + BoundedText.formatSize(ModelManifest.MAX_FILE_BYTES) + ", the limit for this file",
        e.getMessage());
  }

  @Test
  void aChangedFileIsDetected() throws IOException {
    AtomicFiles.write(dir.resolve("a.bin"), "hello".getBytes(StandardCharsets.UTF_8));
    manifestOver("a.bin").writeTo(dir);
    Files.write(dir.resolve("a.bin"), "jello".getBytes(StandardCharsets.UTF_8));
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    Files.write(dir.resolve("a.bin"), "hell".getBytes(StandardCharsets.UTF_8));
    e = assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertTrue(e.getMessage().contains("has 4 bytes"), e.getMessage());
  }

  @Test
  void anUnknownFormatVersionIsRejectedByName() throws IOException {
    new ModelManifest(ModelManifest.FORMAT, 99, "9.9", "d", "p", "now", 1, Map.of()).writeTo(dir);
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelManifest.readFrom(dir));
    assertTrue(e.getMessage().contains("model format version 99 is not supported"), e.getMessage());
  }
}
