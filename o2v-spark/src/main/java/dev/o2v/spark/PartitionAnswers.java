package dev.o2v.spark;

import dev.o2v.api.InvalidInputException;
import dev.o2v.api.Object2VecModel;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Appends the model's answer to every row of a partition, in Spark's internal row format: rows
 * are read in batches, the rows whose inputs are all present go to the executor's shared model in
 * one call per batch, and a row with a null input gets a null answer. Answers are written as
 * primitive float arrays (or serialized ML vectors), never boxed.
 */
abstract class PartitionAnswers implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final int batchRows;
  private final boolean vector;

  PartitionAnswers(ModelSpec spec, int batchRows, boolean vector) {
    this.spec = spec;
    this.batchRows = batchRows;
    this.vector = vector;
  }

  /** The inputs a row is answered from. */
  abstract List<InputColumn> inputs();

  /** One answer per row (ids per input, in {@link #inputs()} order, then per row). */
  abstract float[][] answer(Object2VecModel model, List<int[][]> ids);

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    Object2VecModel model = ExecutorModels.get(spec);
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    return new Iterator<>() {
      private final InternalRow[] batch = new InternalRow[batchRows];
      private Object[] answers = new Object[0];
      private int size;
      private int next;
      private long firstRow;

      @Override
      public boolean hasNext() {
        if (next < size) {
          return true;
        }
        firstRow += size;
        next = 0;
        size = 0;
        while (size < batchRows && rows.hasNext()) {
          // Readers reuse their row objects: a batch keeps copies.
          batch[size++] = rows.next().copy();
        }
        if (size == 0) {
          return false;
        }
        answers = answerBatch(model, batch, size, partition, firstRow);
        return true;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        InternalRow row = batch[next];
        batch[next] = null;
        return new JoinedRow(row, new GenericInternalRow(new Object[] {answers[next++]}));
      }
    };
  }

  private Object[] answerBatch(Object2VecModel model, InternalRow[] batch, int size,
      int partition, long first) {
    List<InputColumn> inputs = inputs();
    int[] rowOf = new int[size];
    int present = 0;
    for (int r = 0; r < size; r++) {
      if (!anyNull(inputs, batch[r])) {
        rowOf[present++] = r;
      }
    }
    Object[] out = new Object[size];
    if (present == 0) {
      return out;
    }
    List<int[][]> ids = new java.util.ArrayList<>(inputs.size());
    for (InputColumn input : inputs) {
      int[][] column = new int[present][];
      for (int i = 0; i < present; i++) {
        try {
          column[i] = input.ids(batch[rowOf[i]], model);
        } catch (InvalidInputException e) {
          throw badRow(partition, first + rowOf[i], batch[rowOf[i]], e.reason());
        }
      }
      ids.add(column);
    }
    float[][] answers;
    try {
      answers = answer(model, ids);
    } catch (InvalidInputException e) {
      int r = rowOf[e.index()];
      throw badRow(partition, first + r, batch[r], e.reason());
    }
    for (int i = 0; i < present; i++) {
      out[rowOf[i]] = vector ? vectorValue(answers[i]) : UnsafeArrayData.fromPrimitiveArray(
          answers[i]);
    }
    return out;
  }

  private static boolean anyNull(List<InputColumn> inputs, InternalRow row) {
    for (InputColumn input : inputs) {
      if (input.isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** The internal form of a dense ML vector of {@code values}. */
  @SuppressWarnings("unchecked")
  private static Object vectorValue(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return ((UserDefinedType<Vector>) SQLDataTypes.VectorType()).serialize(Vectors.dense(doubles));
  }

  private BadRowException badRow(int partition, long row, InternalRow values, String reason) {
    StringBuilder inputsText = new StringBuilder();
    for (InputColumn input : inputs()) {
      inputsText.append(inputsText.length() == 0 ? "" : ", ").append(input.describe(values));
    }
    return new BadRowException(String.format(Locale.ROOT,
        "o2v: partition %d, row %d (%s): %s", partition, row, inputsText, reason));
  }
}
