package dev.o2v.spark;

import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Appends the embedding of one side of each row: the input column holds integer id arrays or,
 * for a model trained on {@code o2v prepare} output, raw text. A null input gives a null
 * embedding, an empty array the zero vector; a bad input (an id outside the vocabulary) fails the
 * job naming the row.
 *
 * <pre>{@code
 * Dataset<Row> out = new Object2VecEmbedder()
 *     .setSide("in0").setInputCol("in0").setModelDir("hdfs:///models/o2v")
 *     .transform(spark.read().json("rows.jsonl"));
 * }</pre>
 *
 * <p>Each executor JVM opens the model once and shares it among its tasks; each task embeds its
 * partition in calls of {@code batchSize} rows.
 */
public final class Object2VecEmbedder extends ModelTransformer {

  private static final long serialVersionUID = 1L;

  /** The side to embed. */
  private final Param<String> side;
  /** The input column. */
  private final Param<String> inputCol;

  /** An embedder with a generated uid. */
  public Object2VecEmbedder() {
    this(Identifiable.randomUID("o2vEmbedder"));
  }

  /**
   * An embedder with the given uid.
   *
   * @param uid the stage's unique id
   */
  public Object2VecEmbedder(String uid) {
    super(uid, "embedding");
    this.side = new Param<>(this, "side", "the side to embed: in0 or in1",
        ParamValidators.inArray(new String[] {"in0", "in1"}));
    this.inputCol = new Param<>(this, "inputCol",
        "input column: array of integer ids or text (default: the side's name)");
    setDefault(side, "in0");
  }

  /**
   * The side parameter, {@code in0} (default) or {@code in1}.
   *
   * @return the parameter
   */
  public Param<String> side() {
    return side;
  }

  /**
   * The input column parameter; defaults to the side's name.
   *
   * @return the parameter
   */
  public Param<String> inputCol() {
    return inputCol;
  }

  /**
   * Sets the side whose encoder runs.
   *
   * @param value {@code in0} or {@code in1}
   * @return this embedder
   */
  public Object2VecEmbedder setSide(String value) {
    set(side, value);
    return this;
  }

  /**
   * Sets the input column.
   *
   * @param value a column of integer id arrays or of strings
   * @return this embedder
   */
  public Object2VecEmbedder setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  private String inputColumn() {
    return isSet(inputCol) ? getOrDefault(inputCol) : getOrDefault(side);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    checkInput(schema, inputColumn());
    return withOutput(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    StructType out = transformSchema(schema);
    String column = inputColumn();
    InputColumn input = new InputColumn(column, schema.fieldIndex(column),
        Side.parse(getOrDefault(side)), checkInput(schema, column));
    ModelSpec spec = modelSpec(dataset);
    return appendAnswers(dataset, out, new Embeddings(spec, rowsPerCall(), vectorOutput(), input),
        spec);
  }

  @Override
  public Object2VecEmbedder copy(ParamMap extra) {
    return (Object2VecEmbedder) defaultCopy(extra);
  }

  /** The partition function: one side's embeddings. */
  private static final class Embeddings extends PartitionAnswers {

    private static final long serialVersionUID = 1L;

    private final InputColumn input;

    Embeddings(ModelSpec spec, int batchRows, boolean vector, InputColumn input) {
      super(spec, batchRows, vector);
      this.input = input;
    }

    @Override
    List<InputColumn> inputs() {
      return List.of(input);
    }

    @Override
    float[][] answer(Object2VecModel model, List<int[][]> ids) {
      return model.embed(input.side(), Arrays.asList(ids.get(0)));
    }
  }
}
