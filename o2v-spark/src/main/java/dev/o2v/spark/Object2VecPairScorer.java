package dev.o2v.spark;

import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Appends the model's scores of each row's pair: class probabilities for a softmax model, one
 * value for regression. Both input columns hold integer id arrays or raw text; a null in either
 * gives null scores; a bad input fails the job naming the row.
 */
public final class Object2VecPairScorer extends ModelTransformer {

  private static final long serialVersionUID = 1L;

  /** The in0 column. */
  private final Param<String> in0Col;
  /** The in1 column. */
  private final Param<String> in1Col;

  /** A scorer with a generated uid. */
  public Object2VecPairScorer() {
    this(Identifiable.randomUID("o2vPairScorer"));
  }

  /**
   * A scorer with the given uid.
   *
   * @param uid the stage's unique id
   */
  public Object2VecPairScorer(String uid) {
    super(uid, "scores");
    this.in0Col = new Param<>(this, "in0Col", "column of the in0 side (default in0)");
    this.in1Col = new Param<>(this, "in1Col", "column of the in1 side (default in1)");
    setDefault(in0Col, "in0");
    setDefault(in1Col, "in1");
  }

  /**
   * The in0 column parameter.
   *
   * @return the parameter
   */
  public Param<String> in0Col() {
    return in0Col;
  }

  /**
   * The in1 column parameter.
   *
   * @return the parameter
   */
  public Param<String> in1Col() {
    return in1Col;
  }

  /**
   * Sets the in0 column.
   *
   * @param value a column of integer id arrays or strings
   * @return this scorer
   */
  public Object2VecPairScorer setIn0Col(String value) {
    set(in0Col, value);
    return this;
  }

  /**
   * Sets the in1 column.
   *
   * @param value a column of integer id arrays or strings
   * @return this scorer
   */
  public Object2VecPairScorer setIn1Col(String value) {
    set(in1Col, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    checkInput(schema, getOrDefault(in0Col));
    checkInput(schema, getOrDefault(in1Col));
    return withOutput(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    StructType out = transformSchema(schema);
    String first = getOrDefault(in0Col);
    String second = getOrDefault(in1Col);
    InputColumn in0 = new InputColumn(first, schema.fieldIndex(first), Side.IN0,
        checkInput(schema, first));
    InputColumn in1 = new InputColumn(second, schema.fieldIndex(second), Side.IN1,
        checkInput(schema, second));
    ModelSpec spec = modelSpec(dataset);
    return appendAnswers(dataset, out, new Scores(spec, rowsPerCall(), vectorOutput(), in0, in1),
        spec);
  }

  @Override
  public Object2VecPairScorer copy(ParamMap extra) {
    return (Object2VecPairScorer) defaultCopy(extra);
  }

  /** The partition function: scores of pairs. */
  private static final class Scores extends PartitionAnswers {

    private static final long serialVersionUID = 1L;

    private final InputColumn in0;
    private final InputColumn in1;

    Scores(ModelSpec spec, int batchRows, boolean vector, InputColumn in0, InputColumn in1) {
      super(spec, batchRows, vector);
      this.in0 = in0;
      this.in1 = in1;
    }

    @Override
    List<InputColumn> inputs() {
      return List.of(in0, in1);
    }

    @Override
    float[][] answer(Object2VecModel model, List<int[][]> ids) {
      return model.score(Arrays.asList(ids.get(0)), Arrays.asList(ids.get(1)));
    }
  }
}
