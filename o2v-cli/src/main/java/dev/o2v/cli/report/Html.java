package dev.o2v.cli.report;

import java.util.Base64;
import java.util.List;

/** Builds HTML text with every value escaped, so data from files can never become markup. */
final class Html {

  private final StringBuilder out = new StringBuilder();

  /** Appends markup written by the report itself (never from files). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends escaped text. */
  Html text(String text) {
    out.append(escape(text));
    return this;
  }

  /** An element holding escaped text, e.g. {@code element("h2", "Curves")}. */
  Html element(String tag, String text) {
    return raw("<" + tag + ">").text(text).raw("</" + tag + ">\n");
  }

  /**
   * A table with an id, a header row (left out when every cell is empty) and body rows, every
   * cell escaped.
   */
  Html table(String id, List<String> header, List<List<String>> rows) {
    raw("<table id=\"" + id + "\">\n");
    if (header.stream().anyMatch(cell -> !cell.isEmpty())) {
      raw("<thead><tr>");
      header.forEach(cell -> raw("<th>").text(cell).raw("</th>"));
      raw("</tr></thead>\n");
    }
    raw("<tbody>\n");
    for (List<String> row : rows) {
      raw("<tr>");
      row.forEach(cell -> raw("<td>").text(cell).raw("</td>"));
      raw("</tr>\n");
    }
    return raw("</tbody>\n</table>\n");
  }

  /** A PNG embedded as a data URI, so the file needs nothing beside it. */
  Html png(String id, String alt, byte[] png) {
    return raw("<img id=\"" + id + "\" alt=\"").text(alt).raw("\" src=\"data:image/png;base64,")
        .raw(Base64.getEncoder().encodeToString(png)).raw("\">\n");
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
