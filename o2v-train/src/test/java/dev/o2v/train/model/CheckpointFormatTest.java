package dev.o2v.train.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {

  @TempDir Path modelDir;

  @Test
  void aCheckpointOfTheFormatThatCountedEpochsFromOneIsRefusedWithWhatToDo() throws IOException {
    CheckpointStore store = new CheckpointStore(modelDir);
    store.prepare();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(CheckpointStore.MAGIC);
      out.writeInt(1);
      out.writeInt(2);
      out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Files.write(store.directory().resolve("epoch-0002.ckpt"), bytes.toByteArray());
    Files.writeString(store.directory().resolve("latest.json"),
        "{\"epoch\": 2, \"checkpoint\": \"epoch-0002.ckpt\"}");

    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> store.restore(null, null, null, "{}", 1));
    assertTrue(e.getMessage().contains("epoch-0002.ckpt")
        && e.getMessage().contains("cannot be resumed")
        && e.getMessage().contains("train again without --resume"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
