package example;

import dev.o2v.api.FloatMatrix;
import dev.o2v.api.ModelOptions;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Embeds each line of a text file with side in0; writes one tab-separated vector per line. */
public class EmbedFile {
  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    ModelOptions options = ModelOptions.defaults().withThreads(1);
    try (Object2VecModel model = Object2VecModel.open(Path.of(args[0]), options)) {
      FloatMatrix vectors = model.embedTextFlat(Side.IN0, lines); // or embedFlat(side, int[]s)
      StringBuilder out = new StringBuilder();
      for (int row = 0; row < vectors.rows(); row++) {
        for (int col = 0; col < vectors.columns(); col++) {
          out.append(col == 0 ? "" : "\t").append(vectors.values()[row * vectors.columns() + col]);
        }
        out.append('\n');
      }
      Files.writeString(Path.of(args[2]), out);
      float[][] scores = model.score(List.of(new int[] {1, 2, 3}), List.of(new int[] {4, 5}));
      System.out.println("classes of the first pair: " + java.util.Arrays.toString(scores[0]));
    }
  }
}
