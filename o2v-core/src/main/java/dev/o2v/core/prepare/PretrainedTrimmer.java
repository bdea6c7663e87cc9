package dev.o2v.core.prepare;

import dev.o2v.core.io.IoReasons;
import dev.o2v.core.io.LineLengthLimit;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Copies the lines of a GloVe-style file ({@code token v1 … vD}, space separated, no header)
 * whose token is in a vocabulary, so the auxiliary channel carries only the rows a model can use.
 *
 * <p>The width D is taken from the first line. A first line of exactly two integers is read as a
 * word2vec-style header ({@code count D}) and dropped. A line with more than D + 1 fields has a
 * token containing spaces, which no vocabulary entry of ours can match, and is skipped. The first
 * line of a repeated token wins. Kept lines are copied unchanged after checking that every value
 * is a finite number.
 */
public final class PretrainedTrimmer {

  private static final int MIN_DIM = 2;
  private static final int MAX_DIM = 1000;
  /** A vector line longer than this is not a vector line (a 1000-wide one is about 15 KB). */
  private static final int MAX_LINE_CHARS = 1 << 20;

  private PretrainedTrimmer() {}

  /**
   * The outcome of a trim.
   *
   * @param dim the vector width D
   * @param found vocabulary tokens that got a vector
   * @param vocabularyTokens tokens in the vocabulary
   */
  public record Result(int dim, int found, int vocabularyTokens) {}

  /**
   * Writes the lines of {@code source} whose token is in {@code vocabulary} to {@code target}.
   *
   * @throws PrepareException naming the file and line of a short line or a bad number, a width
   *     outside 2..1000, or when no vocabulary token has a vector
   */
  public static Result trim(Path source, Vocabulary vocabulary, Path target) {
    Set<String> written = new HashSet<>();
    int dim = -1;
    try (BufferedReader in = new BufferedReader(new LineLengthLimit(
            Files.newBufferedReader(source, StandardCharsets.UTF_8), MAX_LINE_CHARS));
        BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        text = text.stripTrailing();
        if (text.isEmpty()) {
          continue;
        }
        if (dim < 0) {
          dim = widthOf(source, line, text);
          if (text.matches("[0-9]+ [0-9]+")) {
            continue;
          }
        }
        int space = text.indexOf(' ');
        String token = space < 0 ? text : text.substring(0, space);
        if (!vocabulary.contains(token) || written.contains(token)) {
          continue;
        }
        String[] fields = text.split(" ", -1);
        if (fields.length < dim + 1) {
          throw PrepareException.at(source, line, String.format(Locale.ROOT,
              "'%s' has %d values, the first line has %d", token, fields.length - 1, dim));
        }
        if (fields.length == dim + 1) {
          checkNumbers(source, line, fields);
          out.write(text);
          out.newLine();
          written.add(token);
        }
      }
    } catch (NoSuchFileException e) {
      throw new PrepareException(source + ": file not found");
    } catch (CharacterCodingException e) {
      throw new PrepareException(source + ": not valid UTF-8 text", e);
    } catch (LineLengthLimit.LineTooLongException e) {
      throw PrepareException.at(source, e.line(), e.getMessage());
    } catch (IOException e) {
      throw new PrepareException(source + ": cannot read: " + IoReasons.of(e), e);
    }
    if (written.isEmpty()) {
      throw new PrepareException(source + ": no vocabulary token has a vector (are the vectors"
          + " for lower-case tokens? then add --lowercase)");
    }
    return new Result(dim, written.size(), vocabulary.tokenCount());
  }

  private static int widthOf(Path source, long line, String first) {
    String[] fields = first.split(" ", -1);
    int dim = fields.length == 2 && first.matches("[0-9]+ [0-9]+")
        ? Integer.parseInt(fields[1])
        : fields.length - 1;
    if (dim < MIN_DIM || dim > MAX_DIM) {
      throw PrepareException.at(source, line, String.format(Locale.ROOT,
          "vectors have %d values; encX_token_embedding_dim allows %d..%d", dim, MIN_DIM,
          MAX_DIM));
    }
    return dim;
  }

  private static void checkNumbers(Path source, long line, String[] fields) {
    for (int k = 1; k < fields.length; k++) {
      boolean ok;
      try {
        ok = Double.isFinite(Double.parseDouble(fields[k]));
      } catch (NumberFormatException e) {
        ok = false;
      }
      if (!ok) {
        throw PrepareException.at(source, line, String.format(Locale.ROOT,
            "value %d of '%s' is not a finite number: '%s'", k, fields[0], fields[k]));
      }
    }
  }
}
