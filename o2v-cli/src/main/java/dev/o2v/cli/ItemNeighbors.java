package dev.o2v.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataFormatException;
import dev.o2v.inference.InferenceProgress;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.JsonFloats;
import dev.o2v.inference.retrieval.ExactNeighbors;
import dev.o2v.inference.retrieval.HnswIndex;
import dev.o2v.inference.retrieval.Neighbor;
import dev.o2v.inference.retrieval.NpyMatrix;
import dev.o2v.inference.retrieval.SequenceLine;
import dev.o2v.inference.retrieval.SequenceLineReader;
import dev.o2v.inference.retrieval.SideEmbedder;
import dev.o2v.inference.retrieval.UnitVectors;
import dev.o2v.train.model.TrainedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code neighbors} over items other than the vocabulary: the embedded sequences of a JSON Lines
 * file, or the rows of a saved {@code .npy} embedding file (searched exactly, or through an HNSW
 * index kept beside the file once it is large).
 */
final class ItemNeighbors {

  private static final Logger LOG = LoggerFactory.getLogger(ItemNeighbors.class);

  /** The searched items and their ids. */
  private record Items(UnitVectors vectors, ItemIds ids) {}

  /** How to search. */
  enum Method { AUTO, EXACT, HNSW }

  private final NeighborsCommand options;
  private final int searchThreads;

  ItemNeighbors(NeighborsCommand options, int searchThreads) {
    this.options = options;
    this.searchThreads = searchThreads;
  }

  /** Loads the items, answers the queries and writes one JSON line per query to {@code out}. */
  int run(Supplier<TrainedModel> model, PrintWriter out) throws IOException {
    Items items = options.embeddings != null ? fromEmbeddings() : fromRecords(model);
    if (items.vectors().count() < 2) {
      throw new CliException(ExitCodes.DATA, "neighbors needs at least two items, found "
          + items.vectors().count());
    }
    int[] queryRows = queryRows(items);
    Method method = method();
    boolean hnsw = method == Method.HNSW
        || (method == Method.AUTO && items.vectors().count() > options.exactLimit);
    if (hnsw && options.embeddings == null) {
      throw new CliException(ExitCodes.USAGE, "--index hnsw needs --embeddings FILE.npy (the"
          + " index is saved beside it): write the records' embeddings with embed --format npy");
    }
    long start = System.nanoTime();
    if (hnsw) {
      try (HnswIndex index = openOrBuild(items.vectors())) {
        for (int row : queryRows) {
          List<Neighbor> found =
              index.search(items.vectors().row(row), options.k, options.candidates, row);
          out.println(json(items.ids(), row, found));
        }
      }
    } else {
      ExactNeighbors exact = new ExactNeighbors(items.vectors(), searchThreads);
      // Chunks keep the answers in query order while bounding what waits to be printed.
      int chunk = 256;
      for (int from = 0; from < queryRows.length; from += chunk) {
        int to = Math.min(queryRows.length, from + chunk);
        List<float[]> queries = new ArrayList<>(to - from);
        int[] skip = new int[to - from];
        for (int i = from; i < to; i++) {
          queries.add(items.vectors().row(queryRows[i]));
          skip[i - from] = queryRows[i];
        }
        List<List<Neighbor>> found = exact.searchAll(queries, options.k, skip);
        for (int i = from; i < to; i++) {
          out.println(json(items.ids(), queryRows[i], found.get(i - from)));
        }
      }
    }
    out.flush();
    LOG.info("neighbors: {} queries among {} items ({}) in {} s", queryRows.length,
        items.vectors().count(), hnsw ? "HNSW index" : "exact",
        String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
    return ExitCodes.OK;
  }

  private Method method() {
    return switch (options.index.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Method.AUTO;
      case "exact" -> Method.EXACT;
      case "hnsw" -> Method.HNSW;
      default -> throw new CliException(ExitCodes.USAGE,
          "--index must be auto, exact or hnsw, found '" + options.index + "'");
    };
  }

  private int[] queryRows(Items items) {
    if (options.all) {
      int[] rows = new int[items.vectors().count()];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = r;
      }
      return rows;
    }
    int[] rows = new int[options.queryIds.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = items.ids().row(options.queryIds[i]);
    }
    return rows;
  }

  private Items fromEmbeddings() throws IOException {
    UnitVectors vectors = NpyMatrix.read(options.embeddings);
    ItemIds ids = options.ids != null
        ? ItemIds.fromFile(options.ids, vectors.count())
        : ItemIds.positional(vectors.count());
    return new Items(vectors, ids);
  }

  private Items fromRecords(Supplier<TrainedModel> loader) throws IOException {
    int side = options.sideIndex();
    TrainedModel model = loader.get();
    InferenceRunner runner = new InferenceRunner(model, 512);
    List<SequenceLine> lines = new SequenceLineReader(runner.vocabSize(0), runner.vocabSize(1))
        .readAll(Channel.of(options.data));
    List<int[]> sequences = new ArrayList<>(lines.size());
    List<String> ids = new ArrayList<>(lines.size());
    for (SequenceLine line : lines) {
      if (line.ids(side) == null) {
        throw new DataFormatException(line.source(), line.line(),
            "in" + side + " is missing but --side in" + side + " asks for it");
      }
      if ((line.id() == null) != (lines.get(0).id() == null)) {
        throw new DataFormatException(line.source(), line.line(),
            "either every line has an id or none does");
      }
      sequences.add(line.ids(side));
      ids.add(line.id());
    }
    UnitVectors vectors = new SideEmbedder(runner, 1024).embed(sequences, side,
        WorkProgress.of("embed", sequences.size()));
    boolean named = !lines.isEmpty() && lines.get(0).id() != null;
    return new Items(vectors, named ? ItemIds.of(ids) : ItemIds.positional(lines.size()));
  }

  /** The index beside the embedding file, rebuilt when missing, stale or asked for. */
  private HnswIndex openOrBuild(UnitVectors vectors) throws IOException {
    Path file = options.embeddings.toAbsolutePath();
    Path dir = file.resolveSibling(file.getFileName() + ".hnsw");
    ObjectNode source = JsonNodeFactory.instance.objectNode();
    source.put("file", file.getFileName().toString());
    source.put("bytes", Files.size(file));
    source.put("modified_ms", Files.getLastModifiedTime(file).toMillis());
    if (!options.rebuildIndex && Files.isDirectory(dir)) {
      HnswIndex index;
      try {
        index = HnswIndex.open(dir);
      } catch (IOException e) {
        index = null;
        LOG.info("neighbors: rebuilding the index in {} ({})", dir, e.getMessage());
      }
      if (index != null) {
        JsonNode built = index.description();
        if (sameValues(source, built.get("source"))
            && built.get("max_conn").asInt() == options.maxConn
            && built.get("beam_width").asInt() == options.beamWidth) {
          LOG.info("neighbors: using the HNSW index in {}", dir);
          return index;
        }
        index.close();
        LOG.info("neighbors: the index in {} was built for another file or settings;"
            + " rebuilding it", dir);
      }
    }
    LOG.info("neighbors: building an HNSW index of {} vectors into {}", vectors.count(), dir);
    long start = System.nanoTime();
    InferenceProgress progress = WorkProgress.of("index", vectors.count());
    HnswIndex index;
    try {
      index = HnswIndex.build(vectors, dir, options.maxConn, options.beamWidth, source,
          progress::update);
    } finally {
      progress.finish(vectors.count());
    }
    LOG.info("neighbors: index built in {} s",
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    return index;
  }

  /** Field-by-field equality by text, as numbers read back may have another node type. */
  private static boolean sameValues(ObjectNode expected, JsonNode found) {
    if (found == null || !found.isObject() || found.size() != expected.size()) {
      return false;
    }
    var names = expected.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!found.has(name) || !expected.get(name).asText().equals(found.get(name).asText())) {
        return false;
      }
    }
    return true;
  }

  private static String json(ItemIds ids, int query, List<Neighbor> found) {
    StringBuilder out = new StringBuilder(32 + 40 * found.size());
    out.append("{\"query\":").append(ids.json(query)).append(",\"neighbors\":[");
    for (int i = 0; i < found.size(); i++) {
      Neighbor n = found.get(i);
      out.append(i > 0 ? "," : "").append("{\"id\":").append(ids.json(n.row()))
          .append(",\"cosine\":");
      JsonFloats.append(out, n.cosine()).append('}');
    }
    return out.append("]}").toString();
  }
}
