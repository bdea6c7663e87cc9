package dev.o2v.spark;

import dev.o2v.api.InvalidInputException;
import dev.o2v.api.Object2VecModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Appends the model's answer to every row of a partition: rows are read in batches, the rows
 * whose inputs are all present go to the executor's shared model in one call per batch, and a
 * row with a null input gets a null answer.
 */
abstract class PartitionAnswers implements MapPartitionsFunction<Row, Row> {

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

  /** One answer per element of {@code ids} (ids per input, in {@link #inputs()} order). */
  abstract float[][] answer(Object2VecModel model, List<List<int[]>> ids);

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Object2VecModel model = ExecutorModels.get(spec);
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    return new Iterator<>() {
      private final List<Row> batch = new ArrayList<>(batchRows);
      private Object[] answers = new Object[0];
      private int next;
      private long firstRow;

      @Override
      public boolean hasNext() {
        if (next < batch.size()) {
          return true;
        }
        firstRow += batch.size();
        batch.clear();
        next = 0;
        while (batch.size() < batchRows && rows.hasNext()) {
          batch.add(rows.next());
        }
        if (batch.isEmpty()) {
          return false;
        }
        answers = answerBatch(model, batch, partition, firstRow);
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = batch.get(next);
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
          values[i] = row.get(i);
        }
        values[row.length()] = answers[next++];
        return RowFactory.create(values);
      }
    };
  }

  private Object[] answerBatch(Object2VecModel model, List<Row> batch, int partition, long first) {
    List<InputColumn> inputs = inputs();
    List<List<int[]>> ids = new ArrayList<>();
    for (int c = 0; c < inputs.size(); c++) {
      ids.add(new ArrayList<>(batch.size()));
    }
    int[] rowOf = new int[batch.size()];
    int present = 0;
    for (int r = 0; r < batch.size(); r++) {
      Row row = batch.get(r);
      if (inputs.stream().anyMatch(input -> input.isNull(row))) {
        continue;
      }
      for (int c = 0; c < inputs.size(); c++) {
        try {
          ids.get(c).add(inputs.get(c).ids(row, model));
        } catch (InvalidInputException e) {
          throw badRow(partition, first + r, row, e.reason());
        }
      }
      rowOf[present++] = r;
    }
    Object[] out = new Object[batch.size()];
    if (present == 0) {
      return out;
    }
    float[][] answers;
    try {
      answers = answer(model, ids);
    } catch (InvalidInputException e) {
      int r = rowOf[e.index()];
      throw badRow(partition, first + r, batch.get(r), e.reason());
    }
    for (int i = 0; i < present; i++) {
      out[rowOf[i]] = vector ? Vectors.dense(toDoubles(answers[i])) : answers[i];
    }
    return out;
  }

  private BadRowException badRow(int partition, long row, Row values, String reason) {
    StringBuilder inputsText = new StringBuilder();
    for (InputColumn input : inputs()) {
      inputsText.append(inputsText.length() == 0 ? "" : ", ").append(input.describe(values));
    }
    return new BadRowException(String.format(Locale.ROOT,
        "o2v: partition %d, row %d (%s): %s", partition, row, inputsText, reason));
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
