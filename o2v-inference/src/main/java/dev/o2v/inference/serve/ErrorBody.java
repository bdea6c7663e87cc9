package dev.o2v.inference.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The body of every error answer: {@code {"error": "<one-line reason>"}} and a newline. */
final class ErrorBody {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int MAX_CHARS = 500;

  private ErrorBody() {}

  /** UTF-8 bytes of the error object; the reason is squeezed onto one line. */
  static byte[] of(String reason) {
    String line = reason == null ? "error" : reason.replaceAll("\\s+", " ").trim();
    if (line.length() > MAX_CHARS) {
      line = line.substring(0, MAX_CHARS) + "...";
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error", line);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (out + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
