package dev.o2v.inference.retrieval;

import static dev.o2v.core.io.FileTrees.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * An approximate cosine nearest-neighbour index: Lucene's HNSW graph over unit vectors, kept in
 * a directory and reopened without rebuilding.
 *
 * <p>Vectors are indexed with the dot-product similarity (equal to cosine for unit vectors; Lucene
 * scores it as {@code (1 + dot) / 2}, turned back into the cosine here) and each document carries
 * its row number. The directory holds {@value #DESCRIPTION} describing the build, so a caller can
 * tell whether it still matches its source.
 */
public final class HnswIndex implements Closeable {

  /** The file in the index directory describing what was indexed and how. */
  public static final String DESCRIPTION = "o2v-index.json";
  /** Lucene's default number of graph neighbours per node. */
  public static final int DEFAULT_MAX_CONN = 16;
  /** Lucene's default candidate list size while building. */
  public static final int DEFAULT_BEAM_WIDTH = 100;

  private static final String VECTOR = "vector";
  private static final String ROW = "row";
  private static final int MAX_WIDTH = 16384;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final JsonNode description;

  private HnswIndex(Directory directory, JsonNode description) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.description = description;
  }

  /**
   * Builds an index of {@code vectors} into {@code dir} (replacing what is there) and opens it.
   * The index is written beside {@code dir} under a temporary name and moved into place when
   * complete, so an interrupted build leaves no half index under the name.
   *
   * @param source what was indexed (e.g. the embedding file's size and time), kept in
   *     {@value #DESCRIPTION}
   * @param progress told how many vectors were added
   */
  public static HnswIndex build(UnitVectors vectors, Path dir, int maxConn, int beamWidth,
      ObjectNode source, LongConsumer progress) throws IOException {
    Path target = dir.toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + "." + System.nanoTime()
        + ".partial");
    ObjectNode description = JSON.createObjectNode();
    description.put("rows", vectors.count());
    description.put("width", vectors.width());
    description.put("max_conn", maxConn);
    description.put("beam_width", beamWidth);
    description.set("source", source);
    try {
      IndexWriterConfig config = new IndexWriterConfig();
      config.setCodec(codec(maxConn, beamWidth));
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      // One large in-memory segment: the graph is built once, with no merges rebuilding it.
      long heapMb = Runtime.getRuntime().maxMemory() >> 20;
      config.setRAMBufferSizeMB(Math.max(64, Math.min(2047, heapMb / 3)));
      config.setUseCompoundFile(false);
      try (Directory out = FSDirectory.open(temp);
          IndexWriter writer = new IndexWriter(out, config)) {
        for (int r = 0; r < vectors.count(); r++) {
          Document doc = new Document();
          doc.add(new KnnFloatVectorField(VECTOR, vectors.row(r),
              VectorSimilarityFunction.DOT_PRODUCT));
          doc.add(new NumericDocValuesField(ROW, r));
          writer.addDocument(doc);
          if ((r & 1023) == 1023) {
            progress.accept(r + 1L);
          }
        }
        writer.commit();
      }
      Files.writeString(temp.resolve(DESCRIPTION), description.toPrettyString() + "\n");
      deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(temp);
    }
    return open(target);
  }

  /**
   * Opens an index built by {@link #build}.
   *
   * @throws IOException when {@code dir} holds no complete index
   */
  public static HnswIndex open(Path dir) throws IOException {
    Path descriptionFile = dir.resolve(DESCRIPTION);
    if (!Files.isRegularFile(descriptionFile)) {
      throw new IOException(dir + " is not an o2v index (no " + DESCRIPTION + ")");
    }
    JsonNode description = JSON.readTree(descriptionFile.toFile());
    return new HnswIndex(FSDirectory.open(dir), description);
  }

  /** What {@link #build} recorded: rows, width, graph settings and the source description. */
  public JsonNode description() {
    return description;
  }

  /** Number of indexed vectors. */
  public int count() {
    return reader.numDocs();
  }

  /**
   * About the {@code k} nearest rows of {@code query} (a unit vector), best first, leaving out
   * row {@code skip} (or -1).
   *
   * @param candidates how many candidates the graph search keeps (at least {@code k}; more finds
   *     the true neighbours more often and costs time)
   */
  public List<Neighbor> search(float[] query, int k, int candidates, int skip)
      throws IOException {
    int want = k + (skip >= 0 ? 1 : 0);
    int beam = Math.max(want, candidates);
    TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, beam), beam);
    List<Neighbor> out = new ArrayList<>(k);
    List<LeafReaderContext> leaves = reader.leaves();
    for (ScoreDoc hit : top.scoreDocs) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
      NumericDocValues rows = leaf.reader().getNumericDocValues(ROW);
      int local = hit.doc - leaf.docBase;
      if (rows == null || !rows.advanceExact(local)) {
        throw new IOException("index document " + hit.doc + " has no row number");
      }
      int row = (int) rows.longValue();
      if (row != skip) {
        out.add(new Neighbor(row, 2 * hit.score - 1));
      }
    }
    out.sort(Neighbor.BEST_FIRST);
    return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }

  /**
   * The default codec with HNSW settings of our choice and room for embeddings wider than
   * Lucene's default limit of 1,024 dimensions ({@code enc_dim} may be up to 4,096 and more).
   * The wrapper keeps Lucene's format name, so reading needs nothing but Lucene itself.
   */
  private static Lucene912Codec codec(int maxConn, int beamWidth) {
    KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
    KnnVectorsFormat wide = new KnnVectorsFormat(hnsw.getName()) {
      @Override
      public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return hnsw.fieldsWriter(state);
      }

      @Override
      public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return hnsw.fieldsReader(state);
      }

      @Override
      public int getMaxDimensions(String fieldName) {
        return MAX_WIDTH;
      }
    };
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return wide;
      }
    };
  }
}
