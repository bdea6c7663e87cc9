package dev.o2v.spark;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Finds a model directory on an executor's local disk: a local path as it is, a name added with
 * {@code SparkContext.addFile(dir, true)} where Spark fetched it, and a Hadoop filesystem URI
 * ({@code hdfs:}, {@code s3a:}, {@code file:}, ...) copied under the executor's work directory.
 */
final class ModelDirectories {

  private ModelDirectories() {}

  /**
   * A local directory holding the model at {@code location}; a URI is copied (once per call, the
   * caller caches).
   *
   * @throws IOException when the location is neither a local directory, a fetched file nor a
   *     readable URI
   */
  static Path localize(String location, Map<String, String> hadoopSettings) throws IOException {
    URI uri = schemeUri(location);
    if (uri == null) {
      Path local = Path.of(location);
      if (Files.isDirectory(local)) {
        return local;
      }
      if (SparkEnv.get() != null) {
        Path fetched = Path.of(SparkFiles.get(location));
        if (Files.isDirectory(fetched)) {
          return fetched;
        }
      }
      throw new IOException(location + " is neither a local model directory nor a directory"
          + " added with SparkContext.addFile(dir, true)");
    }
    Configuration conf = new Configuration();
    hadoopSettings.forEach(conf::set);
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = source.getFileSystem(conf);
    if (!fs.getFileStatus(source).isDirectory()) {
      throw new IOException(location + " is not a directory");
    }
    Path target = Files.createTempDirectory(workDirectory(), "o2v-model-").resolve("model");
    // Raw local filesystem: no .crc files beside the copies.
    fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
    return target;
  }

  /** The URI of a location with a scheme, or null for a plain path. */
  private static URI schemeUri(String location) {
    try {
      URI uri = new URI(location);
      return uri.getScheme() != null && uri.getScheme().length() > 1 ? uri : null;
    } catch (URISyntaxException e) {
      return null; // a local path with characters a URI cannot hold
    }
  }

  /** Where copies go: Spark's per-application directory when there is one, else the temp dir. */
  private static Path workDirectory() throws IOException {
    if (SparkEnv.get() != null) {
      return Files.createDirectories(Path.of(SparkFiles.getRootDirectory()));
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
