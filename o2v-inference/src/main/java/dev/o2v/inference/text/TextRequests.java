package dev.o2v.inference.text;

import dev.o2v.core.data.DataException;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.core.io.LineLengthLimit;
import dev.o2v.core.prepare.TableReader;
import dev.o2v.inference.BatchInput;
import dev.o2v.inference.InferenceInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw text as batch inference requests, encoded in memory with a model's tokenizer and
 * vocabulary: single texts to embed, or a TSV file of text pairs to score. Everything is encoded
 * before the job starts, so a text that cannot be encoded stops it before any result is written.
 */
public final class TextRequests {

  private TextRequests() {}

  /**
   * One single-side request per text; a request's line is the text's position (from 1).
   *
   * @param source what messages name as the origin of the texts (e.g. {@code --text})
   * @throws DataException naming the text when the encoder cannot encode it
   */
  public static BatchInput ofTexts(
      TextEncoder encoder, String source, int side, List<String> texts) {
    List<InferenceInstance> requests = new ArrayList<>(texts.size());
    long[] lines = new long[texts.size()];
    for (String text : texts) {
      int[] ids;
      try {
        ids = encoder.encode(side, text);
      } catch (DataException e) {
        throw new DataException(source + " '" + text + "': " + e.getMessage(), e);
      }
      lines[requests.size()] = requests.size() + 1;
      requests.add(InferenceInstance.single(side, ids));
    }
    return BatchInput.of(source, requests, lines);
  }

  /**
   * One pair request per non-empty line of a TSV file with exactly two columns (in0 text, in1
   * text; no quoting, no header).
   *
   * @throws DataFormatException naming the line of a row without two columns or with a text the
   *     encoder cannot encode
   * @throws DataException when the file is missing or not UTF-8
   */
  public static BatchInput ofPairs(TextEncoder encoder, Path tsv) throws IOException {
    if (!Files.isRegularFile(tsv)) {
      throw new DataException(
          tsv + (Files.exists(tsv) ? ": not a regular file" : ": file not found"));
    }
    List<InferenceInstance> requests = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new LineLengthLimit(
        Files.newBufferedReader(tsv, StandardCharsets.UTF_8), TableReader.MAX_LINE_CHARS))) {
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
          requests.add(InferenceInstance.pair(
              encoder.encode(0, fields[0]), encoder.encode(1, fields[1])));
        } catch (DataFormatException e) {
          throw e;
        } catch (DataException e) {
          throw new DataFormatException(tsv.toString(), lineNo, e.getMessage());
        }
        lines.add(lineNo);
      }
    } catch (CharacterCodingException e) {
      throw new DataException(tsv + ": not valid UTF-8 text", e);
    } catch (LineLengthLimit.LineTooLongException e) {
      throw new DataFormatException(tsv.toString(), e.line(), e.getMessage());
    }
    return BatchInput.of(
        tsv.toString(), requests, lines.stream().mapToLong(Long::longValue).toArray());
  }
}
