package dev.o2v.core.prepare;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes id records in the training format, one JSON Lines file per split part. */
final class RecordFiles {

  private RecordFiles() {}

  /**
   * Writes {@code DIR/<part>.jsonl} for each part; row {@code i} goes to part {@code part[i]}.
   *
   * @return the file names written
   */
  static List<String> write(
      Path dir, List<String> parts, int[] part, int[][] in0, int[][] in1, List<String> labels)
      throws IOException {
    List<String> names = new ArrayList<>();
    List<BufferedWriter> outs = new ArrayList<>();
    try {
      for (String name : parts) {
        names.add(name + ".jsonl");
        outs.add(Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8));
      }
      StringBuilder line = new StringBuilder(256);
      for (int i = 0; i < part.length; i++) {
        line.setLength(0);
        line.append("{\"label\": ").append(labels.get(i));
        appendIds(line.append(", \"in0\": ["), in0[i]);
        appendIds(line.append("], \"in1\": ["), in1[i]);
        line.append("]}\n");
        outs.get(part[i]).append(line);
      }
    } finally {
      for (BufferedWriter out : outs) {
        out.close();
      }
    }
    return names;
  }

  private static void appendIds(StringBuilder line, int[] ids) {
    for (int k = 0; k < ids.length; k++) {
      if (k > 0) {
        line.append(", ");
      }
      line.append(ids[k]);
    }
  }
}
