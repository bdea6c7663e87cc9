package dev.o2v.spark;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the o2v transformers share: the model directory, the output column and its type, the rows
 * per model call and libtorch's threads per executor.
 */
public abstract class ModelTransformer extends Transformer {

  private static final long serialVersionUID = 1L;

  /** Output as {@code array<float>}. */
  public static final String ARRAY = "array";

  /** Output as a Spark ML {@code Vector} (dense, doubles). */
  public static final String VECTOR = "vector";

  /** The stage's unique id. */
  private final String uid;
  /** Where the model is. */
  private final Param<String> modelDir;
  /** The output column. */
  private final Param<String> outputCol;
  /** The output column's type. */
  private final Param<String> outputType;
  /** Rows of one model call. */
  private final IntParam batchSize;
  /** libtorch threads per executor JVM. */
  private final IntParam threads;

  /**
   * Creates the shared parameters.
   *
   * @param uid the stage's unique id
   * @param defaultOutputCol the output column unless {@code outputCol} is set
   */
  protected ModelTransformer(String uid, String defaultOutputCol) {
    this.uid = uid;
    this.modelDir = new Param<>(this, "modelDir",
        "model directory written by o2v train: a local path present on every executor, a name"
            + " added with SparkContext.addFile(dir, true), or a Hadoop filesystem URI");
    this.outputCol = new Param<>(this, "outputCol", "output column name");
    this.outputType = new Param<>(this, "outputType",
        "output column type: array (array<float>) or vector (ML Vector)",
        ParamValidators.inArray(new String[] {ARRAY, VECTOR}));
    this.batchSize = new IntParam(this, "batchSize",
        "rows of one model call within a partition (>= 1)", ParamValidators.gtEq(1));
    this.threads = new IntParam(this, "threads",
        "libtorch threads of each executor JVM (>= 1); 1 suits one task per core",
        ParamValidators.gtEq(1));
    setDefault(outputCol, defaultOutputCol);
    setDefault(outputType, ARRAY);
    setDefault(batchSize, 1024);
    setDefault(threads, 1);
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * The model directory parameter.
   *
   * @return the parameter
   */
  public Param<String> modelDir() {
    return modelDir;
  }

  /**
   * The output column parameter.
   *
   * @return the parameter
   */
  public Param<String> outputCol() {
    return outputCol;
  }

  /**
   * The output type parameter, {@value #ARRAY} (default) or {@value #VECTOR}.
   *
   * @return the parameter
   */
  public Param<String> outputType() {
    return outputType;
  }

  /**
   * The rows-per-call parameter (default 1024).
   *
   * @return the parameter
   */
  public IntParam batchSize() {
    return batchSize;
  }

  /**
   * The libtorch threads parameter (default 1).
   *
   * @return the parameter
   */
  public IntParam threads() {
    return threads;
  }

  /**
   * Sets the model directory.
   *
   * @param value a local path, a name given to {@code SparkContext.addFile(dir, true)}, or a
   *     Hadoop filesystem URI
   * @return this transformer
   */
  public ModelTransformer setModelDir(String value) {
    set(modelDir, value);
    return this;
  }

  /**
   * Sets the output column.
   *
   * @param value the column name
   * @return this transformer
   */
  public ModelTransformer setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  /**
   * Sets the output type.
   *
   * @param value {@value #ARRAY} or {@value #VECTOR}
   * @return this transformer
   */
  public ModelTransformer setOutputType(String value) {
    set(outputType, value);
    return this;
  }

  /**
   * Sets the rows of one model call.
   *
   * @param value at least 1
   * @return this transformer
   */
  public ModelTransformer setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  /**
   * Sets libtorch's thread count in each executor JVM.
   *
   * @param value at least 1
   * @return this transformer
   */
  public ModelTransformer setThreads(int value) {
    set(threads, value);
    return this;
  }

  /** What executors need to open the model; the driver's Hadoop settings go along for URIs. */
  ModelSpec modelSpec(Dataset<?> dataset) {
    if (!isDefined(modelDir)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": modelDir is not set");
    }
    String location = getOrDefault(modelDir);
    Map<String, String> settings = new HashMap<>();
    if (hasScheme(location)) {
      dataset.sparkSession().sparkContext().hadoopConfiguration()
          .forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
    }
    int rows = (Integer) getOrDefault(batchSize);
    return new ModelSpec(location, settings, (Integer) getOrDefault(threads), Math.min(rows, 256));
  }

  boolean vectorOutput() {
    return VECTOR.equals(getOrDefault(outputType));
  }

  int rowsPerCall() {
    return (Integer) getOrDefault(batchSize);
  }

  /** {@code schema} plus the output column. */
  StructType withOutput(StructType schema) {
    String name = getOrDefault(outputCol);
    if (java.util.Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("output column '" + name + "' already exists");
    }
    DataType type = vectorOutput()
        ? SQLDataTypes.VectorType()
        : DataTypes.createArrayType(DataTypes.FloatType, false);
    return schema.add(new StructField(name, type, true, Metadata.empty()));
  }

  /** Checks that {@code column} holds id arrays or strings and says which. */
  static InputColumn.Kind checkInput(StructType schema, String column) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("input column '" + column + "' does not exist; columns: "
          + String.join(", ", schema.fieldNames()));
    }
    DataType type = schema.apply(column).dataType();
    InputColumn.Kind kind = InputColumn.kindOf(type);
    if (kind == null) {
      throw new IllegalArgumentException("input column '" + column + "' must be an array of"
          + " integer ids or a string, found " + type.simpleString());
    }
    return kind;
  }

  /**
   * {@code dataset} with {@code answers} appended to each row as the last column of {@code out}.
   * Partitions are mapped in Spark's internal row format, so no row is converted to external
   * objects and back. In local mode the driver is the executor: it starts opening the model at
   * once, while Spark plans the job.
   */
  Dataset<Row> appendAnswers(Dataset<?> dataset, StructType out, PartitionAnswers answers,
      ModelSpec spec) {
    SparkSession session = dataset.sparkSession();
    if (session.sparkContext().isLocal()) {
      ExecutorModels.openInBackground(spec);
    }
    RDD<InternalRow> rows = dataset.queryExecution().toRdd();
    RDD<InternalRow> answered = rows.toJavaRDD().mapPartitions(answers).rdd();
    return ((org.apache.spark.sql.classic.SparkSession) session)
        .internalCreateDataFrame(answered, out, false);
  }

  private static boolean hasScheme(String location) {
    try {
      String scheme = new URI(location).getScheme();
      return scheme != null && scheme.length() > 1;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
