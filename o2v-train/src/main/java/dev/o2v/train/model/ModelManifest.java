package dev.o2v.train.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.io.BoundedText;
import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.JsonProblems;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of contents of a model directory, written last so that it commits the model.
 *
 * <p>It names the format and its version, the versions that wrote it, and every file of the model
 * with its size and CRC-32C. A reader checks all three before loading anything, so a directory
 * whose writer was interrupted never half-loads.
 *
 * <p>Format versions and what id 0 means to the model (see {@link #zeroIds()}):
 *
 * <ul>
 *   <li>1: id 0 is an ordinary token. Such models are still read, with that meaning, so a model
 *       trained before id 0 became padding answers exactly as it always did.
 *   <li>2: id 0 is padding, as in SageMaker: every encoder ignores it, and a side without a
 *       non-zero id encodes to zeros. The layout of the files is that of version 1.
 * </ul>
 *
 * The version is the flag: the loader derives the meaning of id 0 from it, so nothing else needs
 * to be recorded, and a new meaning of any stored value takes a new version.
 *
 * @param format always {@link #FORMAT}
 * @param formatVersion the layout version; readers reject versions they do not know
 * @param o2vVersion version of o2v that wrote the model
 * @param djlVersion DJL version that wrote the model
 * @param pytorchVersion PyTorch native version that wrote the model
 * @param createdUtc ISO-8601 time the model was written
 * @param bestEpoch the epoch whose weights these are (epochs are numbered from 0)
 * @param files role (e.g. "parameters") → file entry
 */
public record ModelManifest(
    @JsonProperty("format") String format,
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("o2v_version") String o2vVersion,
    @JsonProperty("djl_version") String djlVersion,
    @JsonProperty("pytorch_version") String pytorchVersion,
    @JsonProperty("created_utc") String createdUtc,
    @JsonProperty("best_epoch") int bestEpoch,
    @JsonProperty("files") Map<String, FileEntry> files) {

  /** The value of {@code format}. */
  public static final String FORMAT = "o2v-model";
  /** The version this code writes; it also reads every version from {@link #OLDEST_VERSION}. */
  public static final int FORMAT_VERSION = 2;
  /** The oldest version this code reads. */
  public static final int OLDEST_VERSION = 1;
  /** The manifest's file name inside a model directory. */
  public static final String FILE_NAME = "manifest.json";
  /** The largest manifest read (1 MiB; a manifest lists a few files in a few hundred bytes). */
  public static final long MAX_FILE_BYTES = 1L << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One file of the model. */
  public record FileEntry(
      @JsonProperty("name") String name,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("crc32c") String crc32c) {

    /** Describes an existing file inside {@code dir}. */
    public static FileEntry of(Path dir, String name) throws IOException {
      Path file = dir.resolve(name);
      return new FileEntry(name, Files.size(file), FileDigest.crc32c(file));
    }

    /** The entry of file {@code name} from what {@link AtomicFiles#write} reported writing. */
    public static FileEntry of(String name, AtomicFiles.Written written) {
      return new FileEntry(name, written.bytes(), FileDigest.hex(written.crc32c()));
    }
  }

  public ModelManifest {
    files = Map.copyOf(new TreeMap<>(files));
  }

  /** Writes this manifest atomically into {@code dir}. */
  public void writeTo(Path dir) throws IOException {
    AtomicFiles.write(dir.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
  }

  /**
   * Reads and checks the manifest of {@code dir}: format, version, and every file's size and
   * checksum.
   */
  public static ModelManifest readFrom(Path dir) throws IOException {
    if (!Files.exists(dir) && Files.isSymbolicLink(dir)) {
      // A link loop or a dangling link: say which, rather than that nothing is there.
      throw new ModelFormatException(dir, IoReasons.whyMissing(dir));
    }
    Path file = dir.resolve(FILE_NAME);
    ModelManifest manifest;
    try {
      manifest = JSON.readValue(BoundedText.readUtf8(file, MAX_FILE_BYTES), ModelManifest.class);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(dir, Files.isDirectory(dir)
          ? "not a complete o2v model directory (no " + FILE_NAME + ")"
          : "no such model directory");
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file, "unreadable manifest: " + JsonProblems.reason(e));
    } catch (BoundedText.InputTooLargeException | CharacterCodingException e) {
      throw new ModelFormatException(file, "unreadable manifest: " + e.getMessage());
    }
    manifest.check(dir);
    return manifest;
  }

  /**
   * What id 0 means to this model: {@link ZeroIdRule#TOKEN} for version 1 (written before id 0
   * became padding), {@link ZeroIdRule#PADDING} from version 2 on.
   */
  public ZeroIdRule zeroIds() {
    return formatVersion >= 2 ? ZeroIdRule.PADDING : ZeroIdRule.TOKEN;
  }

  /** The path of the file with {@code role}, or an error naming the missing role. */
  public Path path(Path dir, String role) {
    FileEntry entry = files.get(role);
    if (entry == null) {
      throw new ModelFormatException(dir, "the manifest lists no '" + role + "' file");
    }
    return dir.resolve(entry.name());
  }

  private void check(Path dir) throws IOException {
    if (!FORMAT.equals(format)) {
      throw new ModelFormatException(dir, "format '" + format + "' is not " + FORMAT);
    }
    if (formatVersion < OLDEST_VERSION || formatVersion > FORMAT_VERSION) {
      throw new ModelFormatException(
          dir,
          "model format version "
              + formatVersion
              + " is not supported by this o2v (reads versions "
              + OLDEST_VERSION
              + " to "
              + FORMAT_VERSION
              + "; written by o2v "
              + o2vVersion
              + "): use a newer o2v");
    }
    for (FileEntry entry : files.values()) {
      Path file = dir.resolve(entry.name());
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException(dir, "missing model file " + entry.name());
      }
      if (Files.size(file) != entry.bytes()) {
        throw new ModelFormatException(
            file, "has " + Files.size(file) + " bytes, the manifest says " + entry.bytes());
      }
      String crc = FileDigest.crc32c(file);
      if (!crc.equals(entry.crc32c())) {
        throw new ModelFormatException(file, "checksum " + crc + " != manifest " + entry.crc32c());
      }
    }
  }
}
