package dev.o2v.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.train.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint holds the weights of its epoch only when they are not already in the best
 * parameters file, and a checkpoint of the earlier format, which always held them, still resumes.
 */
@Tag("engine")
class CheckpointWeightsTest {

  /** "O2VS", the start of the optimizer's state. */
  private static final int OPTIMIZER_STATE_MAGIC = 0x4F325653;

  @TempDir Path dir;

  private static Hyperparameters hp() {
    return HyperparameterCodec.parseJson(
        String.format(Locale.ROOT, TrainerResumeTest.HP, "pooled_embedding", "adam"));
  }

  @Test
  void theFirstEpochsCheckpointRefersToItsBestWeightsInsteadOfHoldingACopy() throws IOException {
    Hyperparameters hp = hp();
    Path model = dir.resolve("model");
    assertThrows(TrainerResumeTest.Crash.class, () -> TrainerResumeTest.train(
        hp, TrainerResumeTest.data(hp), model, false, TrainerResumeTest.crashAtEpoch(1)));
    Path checkpoints = model.resolve("checkpoints");
    try (DataInputStream in = new DataInputStream(
        Files.newInputStream(checkpoints.resolve("epoch-0000.ckpt")))) {
      in.readInt(); // magic
      assertEquals(3, in.readInt(), "the format written now");
      skipBytes(in); // hyperparameters
      in.readLong(); // seed
      in.readInt(); // epochs done
      in.readInt(); // epochs seen
      int recent = in.readInt();
      in.skipNBytes(recent * (long) Double.BYTES);
      in.skipNBytes(Integer.BYTES * 2 + Double.BYTES + 1); // bad and best epoch, loss, stopped
      assertEquals("best-epoch-0000.params", in.readUTF(), "the best file it refers to");
      assertTrue(in.readBoolean(), "the weights are in the best file");
      skipBytes(in); // history
      assertEquals(OPTIMIZER_STATE_MAGIC, in.readInt(),
          "the optimizer state follows the history: no copy of the weights in between");
    }
  }

  private static void skipBytes(DataInputStream in) throws IOException {
    in.skipNBytes(in.readInt());
  }

  @Test
  void aCheckpointOfFormatTwoWithItsWeightsInsideResumesToTheUninterruptedRun()
      throws IOException {
    Hyperparameters hp = hp();
    TrainingData data = TrainerResumeTest.data(hp);
    Path reference = dir.resolve("reference");
    TrainerResumeTest.train(hp, data, reference, false, ProgressListener.silent());
    Path resumed = dir.resolve("resumed");
    assertThrows(TrainerResumeTest.Crash.class, () ->
        TrainerResumeTest.train(hp, data, resumed, false, TrainerResumeTest.crashAtEpoch(2)));

    Path checkpoints = resumed.resolve("checkpoints");
    Path latest = checkpoints.resolve("latest.json");
    ObjectNode pointer = (ObjectNode) new ObjectMapper().readTree(latest.toFile());
    Path checkpoint = checkpoints.resolve(pointer.get("checkpoint").asText());
    rewriteAsFormatTwo(checkpoint, checkpoints);
    for (var entry : pointer.get("files")) {
      if (entry.get("name").asText().equals(checkpoint.getFileName().toString())) {
        ((ObjectNode) entry).put("bytes", Files.size(checkpoint));
        ((ObjectNode) entry).put("crc32c", crc32c(checkpoint));
      }
    }
    new ObjectMapper().writeValue(latest.toFile(), pointer);

    TrainerResumeTest.train(hp, data, resumed, true, ProgressListener.silent());
    TrainerResumeTest.assertSameWeights(reference, resumed, "resumed from format 2");
  }

  /**
   * Rewrites a checkpoint in format 2: no flag after the best-parameters name, and the weights
   * always between the history and the optimizer state (taken from the best file when the
   * checkpoint referred to it).
   */
  private static void rewriteAsFormatTwo(Path checkpoint, Path checkpoints) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(checkpoint));
        DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(in.readInt()); // magic
      assertEquals(3, in.readInt(), "the format written now");
      out.writeInt(2);
      copyBytes(in, out); // hyperparameters
      out.writeLong(in.readLong()); // seed
      out.writeInt(in.readInt()); // epochs done
      out.writeInt(in.readInt()); // epochs seen
      int recent = in.readInt();
      out.writeInt(recent);
      for (int i = 0; i < recent; i++) {
        out.writeDouble(in.readDouble());
      }
      out.writeInt(in.readInt()); // bad epochs
      out.writeInt(in.readInt()); // best epoch
      out.writeDouble(in.readDouble()); // best loss
      out.writeBoolean(in.readBoolean()); // stopped
      String best = in.readUTF();
      out.writeUTF(best);
      boolean weightsInBest = in.readBoolean();
      copyBytes(in, out); // history
      if (weightsInBest) {
        out.write(Files.readAllBytes(checkpoints.resolve(best)));
      }
      in.transferTo(out); // weights when inside, then the optimizer state
    }
    Files.write(checkpoint, bytes.toByteArray());
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(Files.readAllBytes(file));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  private static void copyBytes(DataInputStream in, DataOutputStream out) throws IOException {
    byte[] content = new byte[in.readInt()];
    in.readFully(content);
    out.writeInt(content.length);
    out.write(content);
  }
}
