package dev.o2v.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.o2v.train.TrainingHistory;
import dev.o2v.train.model.ModelFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in a real headless browser when one is installed (Chromium from the operating
 * system's packages); skipped otherwise, so the build never needs one.
 */
class ReportInBrowserTest {

  /** Lists, once the page has loaded, every image's decoded size and every table's id. */
  private static final String PROBE = "<script>window.addEventListener('load', () => {"
      + " const p = document.createElement('pre'); p.id = 'probe';"
      + " p.textContent = [...document.images].map(i => i.id + '=' + i.naturalWidth + 'x'"
      + " + i.naturalHeight).join(' ') + ' tables=' + [...document.querySelectorAll('table')]"
      + ".map(t => t.id).join(','); document.body.appendChild(p); });</script>";

  @TempDir Path dir;

  private static Optional<Path> browser() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome")
            .map(name -> Path.of(d, name)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Test
  void aBrowserDecodesEveryChartAndShowsEveryTable() throws Exception {
    Optional<Path> browser = browser();
    assumeTrue(browser.isPresent(), "no headless browser installed");
    TrainingHistory history = TrainingReportTest.stoppedEarly();
    Files.write(dir.resolve(ModelFiles.METRICS_FILE), history.toJson());
    Files.writeString(dir.resolve(ModelFiles.HYPERPARAMETERS_FILE), "{\"epochs\": \"2\"}");
    String html = Files.readString(TrainingReport.write(dir), StandardCharsets.UTF_8);
    Path probed = dir.resolve("probed.html");
    Files.writeString(probed, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);

    String dom = dump(browser.get(), probed);

    Matcher probe = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(dom);
    assertTrue(probe.find(), "the page did not load: " + dom.substring(0, Math.min(300,
        dom.length())));
    assertEquals("chart-accuracy=720x380 chart-cross_entropy=720x380 chart-throughput=720x380"
        + " tables=overview,epochs,test,data,labels,network,hyperparameters", probe.group(1));
  }

  private String dump(Path browser, Path page) throws IOException, InterruptedException {
    Path out = dir.resolve("dom.html");
    Process process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--user-data-dir=" + dir.resolve("profile"),
        "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
        .redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the browser did not finish within 120 s");
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
