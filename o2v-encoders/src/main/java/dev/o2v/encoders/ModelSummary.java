package dev.o2v.encoders;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of an initialised {@link Object2VecBlock}'s parts: name, output shape for a given batch
 * and sequence lengths, and parameter count, with the total.
 */
public final class ModelSummary {

  /**
   * One part of the network.
   *
   * @param name the part's name ("embedding0", "encoder1", "mlp", ...)
   * @param outputShape its output shape for the summarised input shapes
   * @param parameters number of scalar weights it owns (0 for a table it shares)
   * @param note extra information, empty when none
   */
  public record Row(String name, Shape outputShape, long parameters, String note) {}

  private final List<Row> rows;
  private final long total;

  private ModelSummary(List<Row> rows) {
    this.rows = List.copyOf(rows);
    this.total = rows.stream().mapToLong(Row::parameters).sum();
  }

  /**
   * Summarises {@code block} for inputs of {@code batch} pairs with sequence lengths {@code
   * seqLen0} and {@code seqLen1}.
   *
   * @throws IllegalStateException when the block is not initialised
   */
  public static ModelSummary of(Object2VecBlock block, long batch, long seqLen0, long seqLen1) {
    if (!block.isInitialized()) {
      throw new IllegalStateException("initialise the network before summarising it");
    }
    Shape ids0 = new Shape(batch, seqLen0);
    Shape ids1 = new Shape(batch, seqLen1);
    Shape lengths = new Shape(batch);
    List<Row> rows = new ArrayList<>();
    Shape emb0 = block.tokenEmbedding(0).getOutputShapes(new Shape[] {ids0})[0];
    Shape emb1 = block.tokenEmbedding(1).getOutputShapes(new Shape[] {ids1})[0];
    rows.add(row("embedding0", emb0, block.tokenEmbedding(0), frozenNote(block, 0)));
    if (block.tiedTokenEmbedding()) {
      rows.add(new Row("embedding1", emb1, 0, "tied to embedding0"));
    } else {
      rows.add(row("embedding1", emb1, block.tokenEmbedding(1), frozenNote(block, 1)));
    }
    Shape enc0 = block.encoder(0).getOutputShapes(new Shape[] {emb0, lengths})[0];
    Shape enc1 = block.encoder(1).getOutputShapes(new Shape[] {emb1, lengths})[0];
    rows.add(row("encoder0", enc0, block.encoder(0), networkNote(block, 0)));
    rows.add(row("encoder1", enc1, block.encoder(1), networkNote(block, 1)));
    Shape joined = block.comparator().getOutputShapes(new Shape[] {enc0, enc1})[0];
    rows.add(row("comparator", joined, block.comparator(), comparatorNote(block)));
    Shape hidden = block.mlp().getOutputShapes(new Shape[] {joined})[0];
    rows.add(row("mlp", hidden, block.mlp(), mlpNote(block.mlp())));
    Shape out = block.head().getOutputShapes(new Shape[] {hidden})[0];
    rows.add(row("head", out, block.head(), block.head().kind().key()));
    return new ModelSummary(rows);
  }

  /** Number of scalar weights in all parameters of {@code block}, each parameter counted once. */
  public static long parameterCount(Block block) {
    long count = 0;
    for (Pair<String, Parameter> entry : block.getParameters()) {
      Shape shape = entry.getValue().getShape();
      if (shape == null) {
        throw new IllegalStateException("parameter " + entry.getKey() + " has no shape yet");
      }
      count += shape.size();
    }
    return count;
  }

  /** The parts in forward order. */
  public List<Row> rows() {
    return rows;
  }

  /** Total number of scalar weights. */
  public long totalParameters() {
    return total;
  }

  /** A multi-line table, one part per line and the total last. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append(line("block", "output", "params", ""));
    for (Row row : rows) {
      String count = String.format(Locale.ROOT, "%,d", row.parameters());
      text.append(line(row.name(), row.outputShape().toString(), count, row.note()));
    }
    text.append(line("total", "", String.format(Locale.ROOT, "%,d", total), "").stripTrailing());
    return text.toString().stripTrailing();
  }

  private static String line(String name, String shape, String count, String note) {
    return String.format(Locale.ROOT, "%-11s %-18s %14s  %s", name, shape, count, note)
            .stripTrailing()
        + "\n";
  }

  private static Row row(String name, Shape shape, Block block, String note) {
    return new Row(name, shape, parameterCount(block), note);
  }

  private static String frozenNote(Object2VecBlock block, int side) {
    int frozen = block.tokenEmbedding(side).frozenRowCount();
    return frozen == 0 ? "" : String.format(Locale.ROOT, "%,d pretrained rows frozen", frozen);
  }

  private static String networkNote(Object2VecBlock block, int side) {
    var spec = block.hyperparameters().encoder(side);
    return String.format(Locale.ROOT, "%s, %d layer(s)", spec.network().key(), spec.layers());
  }

  private static String comparatorNote(Object2VecBlock block) {
    return block.comparator().ops().stream()
        .map(op -> op.key())
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private static String mlpNote(Mlp mlp) {
    return mlp.layers() == 0
        ? "no layers"
        : String.format(Locale.ROOT, "%d x %s", mlp.layers(), mlp.activation().key());
  }
}
