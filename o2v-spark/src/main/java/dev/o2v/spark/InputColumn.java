package dev.o2v.spark;

import dev.o2v.api.InvalidInputException;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** One input column of a row: an array of integer ids, or text the model tokenizes. */
record InputColumn(String name, int index, Side side, boolean text) implements Serializable {

  private static final long serialVersionUID = 1L;

  static boolean isIntegral(DataType type) {
    return type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
  }

  /** True when the row has no value in this column. */
  boolean isNull(Row row) {
    return row.isNullAt(index);
  }

  /**
   * The ids of the row's value.
   *
   * @throws InvalidInputException (index 0) for a null id, an id beyond int range, or text the
   *     model cannot encode
   */
  int[] ids(Row row, Object2VecModel model) {
    if (text) {
      return model.encodeText(side, row.getString(index));
    }
    scala.collection.Seq<?> seq = row.getSeq(index);
    int[] ids = new int[seq.length()];
    for (int k = 0; k < ids.length; k++) {
      Object id = seq.apply(k);
      if (id == null) {
        throw new InvalidInputException(0, String.format(Locale.ROOT, "%s[%d] is null",
            side.key(), k));
      }
      long value = ((Number) id).longValue();
      if (value < 0 || value >= model.vocabularySize(side)) {
        throw new InvalidInputException(0, String.format(Locale.ROOT,
            "%s[%d] = %d is outside the vocabulary [0, %d)", side.key(), k, value,
            model.vocabularySize(side)));
      }
      ids[k] = (int) value;
    }
    return ids;
  }

  /** The row's value for a message, shortened. */
  String describe(Row row) {
    String value = String.valueOf(row.get(index));
    if (!text && row.get(index) instanceof scala.collection.Seq<?> seq) {
      value = seq.mkString("[", ", ", "]");
    }
    return name + " = " + (value.length() > 120 ? value.substring(0, 117) + "..." : value);
  }
}
