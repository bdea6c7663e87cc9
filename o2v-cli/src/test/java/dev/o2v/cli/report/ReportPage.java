package dev.o2v.cli.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** A written report, taken apart enough to check its charts and tables. */
public final class ReportPage {

  private static final Pattern IMAGE = Pattern.compile(
      "<img id=\"([^\"]+)\" alt=\"[^\"]*\" src=\"data:image/png;base64,([^\"]+)\">");
  private static final Pattern TABLE = Pattern.compile("<table id=\"([^\"]+)\">(.*?)</table>",
      Pattern.DOTALL);
  private static final Pattern REFERENCE =
      Pattern.compile("(src|href)\\s*=\\s*\"(?!data:)|<script|<link|@import|url\\(");

  public final String html;

  private ReportPage(String html) {
    this.html = html;
  }

  /** Reads {@code file} and checks that it is one complete document needing nothing else. */
  public static ReportPage read(Path file) throws IOException {
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"),
        "not a complete HTML document: " + html.substring(0, Math.min(200, html.length())));
    Matcher external = REFERENCE.matcher(html);
    assertFalse(external.find(), () -> "the report refers to something outside itself at "
        + html.substring(external.start(), Math.min(html.length(), external.start() + 80)));
    return new ReportPage(html);
  }

  /** Chart id → decoded image; fails when any embedded PNG does not decode. */
  public Map<String, BufferedImage> charts() throws IOException {
    Map<String, BufferedImage> charts = new LinkedHashMap<>();
    Matcher m = IMAGE.matcher(html);
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(2));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(image, "chart " + m.group(1) + " does not decode as an image");
      charts.put(m.group(1), image);
    }
    int tags = html.split("<img", -1).length - 1;
    assertTrue(tags == charts.size(),
        "found " + tags + " <img> tags but only " + charts.size() + " embedded PNG charts");
    return charts;
  }

  /** Table id → its rows' cell texts (header row first). */
  public Map<String, List<List<String>>> tables() {
    Map<String, List<List<String>>> tables = new LinkedHashMap<>();
    Matcher m = TABLE.matcher(html);
    while (m.find()) {
      List<List<String>> rows = new ArrayList<>();
      for (String row : m.group(2).split("<tr>")) {
        List<String> cells = new ArrayList<>();
        Matcher cell = Pattern.compile("<t[hd]>(.*?)</t[hd]>").matcher(row);
        while (cell.find()) {
          cells.add(cell.group(1));
        }
        if (!cells.isEmpty()) {
          rows.add(cells);
        }
      }
      tables.put(m.group(1), rows);
    }
    return tables;
  }
}
