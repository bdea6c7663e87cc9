package dev.o2v.cli;

import dev.o2v.core.data.DataException;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.core.io.LineLengthLimit;
import dev.o2v.core.prepare.TableReader;
import dev.o2v.inference.text.TextEncoder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Raw text for {@code embed --text} and {@code predict --text-pairs}, encoded with the model's
 * tokenizer and vocabulary into a temporary JSON Lines file of ids that batch inference then
 * reads like any {@code --data} input. Closing deletes the file.
 */
final class TextRequestFile implements AutoCloseable {

  private final Path path;

  private TextRequestFile(Path path) {
    this.path = path;
  }

  /** The ids file. */
  Path path() {
    return path;
  }

  /** One {@code {"inSIDE": [...]}} line per text. */
  static TextRequestFile ofTexts(Path modelDir, int side, List<String> texts) throws IOException {
    TextRequestFile file = new TextRequestFile(Files.createTempFile("o2v-text-", ".jsonl"));
    try (TextEncoder encoder = TextEncoder.forModelDirectory(modelDir);
        BufferedWriter out = Files.newBufferedWriter(file.path, StandardCharsets.UTF_8)) {
      for (String text : texts) {
        int[] ids;
        try {
          ids = encoder.encode(side, text);
        } catch (DataException e) {
          throw new DataException("--text '" + text + "': " + e.getMessage(), e);
        }
        out.write(line(side == 0 ? ids : null, side == 1 ? ids : null));
      }
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    return file;
  }

  /**
   * One {@code {"in0": [...], "in1": [...]}} line per non-empty line of a TSV file with exactly
   * two columns (in0 text, in1 text; no quoting, no header).
   *
   * @throws DataFormatException naming the line of a row without two columns
   */
  static TextRequestFile ofPairs(Path modelDir, Path tsv) throws IOException {
    if (!Files.isRegularFile(tsv)) {
      throw new DataException(
          tsv + (Files.exists(tsv) ? ": not a regular file" : ": file not found"));
    }
    TextRequestFile file = new TextRequestFile(Files.createTempFile("o2v-pairs-", ".jsonl"));
    try (TextEncoder encoder = TextEncoder.forModelDirectory(modelDir);
        BufferedReader in = new BufferedReader(new LineLengthLimit(
            Files.newBufferedReader(tsv, StandardCharsets.UTF_8), TableReader.MAX_LINE_CHARS));
        BufferedWriter out = Files.newBufferedWriter(file.path, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        lineNo++;
        if (text.isEmpty()) {
          continue;
        }
        String[] fields = text.split("\t", -1);
        if (fields.length != 2) {
          throw new DataFormatException(tsv.toString(), lineNo,
              "expected 2 tab-separated texts (in0, in1), found " + fields.length + " fields");
        }
        try {
          out.write(line(encoder.encode(0, fields[0]), encoder.encode(1, fields[1])));
        } catch (DataFormatException e) {
          throw e;
        } catch (DataException e) {
          throw new DataFormatException(tsv.toString(), lineNo, e.getMessage());
        }
      }
    } catch (CharacterCodingException e) {
      file.close();
      throw new DataException(tsv + ": not valid UTF-8 text", e);
    } catch (LineLengthLimit.LineTooLongException e) {
      file.close();
      throw new DataFormatException(tsv.toString(), e.line(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    return file;
  }

  private static String line(int[] in0, int[] in1) {
    StringBuilder b = new StringBuilder("{");
    if (in0 != null) {
      ids(b.append("\"in0\": ["), in0).append(']');
    }
    if (in1 != null) {
      ids(b.append(in0 != null ? ", " : "").append("\"in1\": ["), in1).append(']');
    }
    return b.append("}\n").toString();
  }

  private static StringBuilder ids(StringBuilder b, int[] ids) {
    for (int k = 0; k < ids.length; k++) {
      b.append(k > 0 ? ", " : "").append(ids[k]);
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(path);
  }
}
