package dev.o2v.spark;

import dev.o2v.api.InvalidInputException;
import dev.o2v.api.Object2VecModel;
import dev.o2v.api.Side;
import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One input column of a row, read in Spark's internal row format (no per-row conversion to
 * external objects): an array of integer ids, or text the model tokenizes.
 */
record InputColumn(String name, int index, Side side, Kind kind) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What the column holds. */
  enum Kind { TEXT, LONG_IDS, INT_IDS, SHORT_IDS, BYTE_IDS }

  /** The kind of a column of {@code type}, or null when the column holds neither ids nor text. */
  static Kind kindOf(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return Kind.TEXT;
    }
    if (!(type instanceof ArrayType array)) {
      return null;
    }
    DataType element = array.elementType();
    if (element.equals(DataTypes.LongType)) {
      return Kind.LONG_IDS;
    }
    if (element.equals(DataTypes.IntegerType)) {
      return Kind.INT_IDS;
    }
    if (element.equals(DataTypes.ShortType)) {
      return Kind.SHORT_IDS;
    }
    return element.equals(DataTypes.ByteType) ? Kind.BYTE_IDS : null;
  }

  /** True when the row has no value in this column. */
  boolean isNull(InternalRow row) {
    return row.isNullAt(index);
  }

  /**
   * The ids of the row's value.
   *
   * @throws InvalidInputException (index 0) for a null id, an id outside the vocabulary, or text
   *     the model cannot encode
   */
  int[] ids(InternalRow row, Object2VecModel model) {
    if (kind == Kind.TEXT) {
      return model.encodeText(side, row.getUTF8String(index).toString());
    }
    ArrayData array = row.getArray(index);
    int vocabulary = model.vocabularySize(side);
    int[] ids = new int[array.numElements()];
    for (int k = 0; k < ids.length; k++) {
      if (array.isNullAt(k)) {
        throw new InvalidInputException(0, String.format(Locale.ROOT, "%s[%d] is null",
            side.key(), k));
      }
      long value = element(array, k);
      if (value < 0 || value >= vocabulary) {
        throw new InvalidInputException(0, String.format(Locale.ROOT,
            "%s[%d] = %d is outside the vocabulary [0, %d)", side.key(), k, value, vocabulary));
      }
      ids[k] = (int) value;
    }
    return ids;
  }

  private long element(ArrayData array, int k) {
    return switch (kind) {
      case LONG_IDS -> array.getLong(k);
      case INT_IDS -> array.getInt(k);
      case SHORT_IDS -> array.getShort(k);
      case BYTE_IDS -> array.getByte(k);
      case TEXT -> throw new IllegalStateException("text has no elements");
    };
  }

  /** The row's value for a message, shortened. */
  String describe(InternalRow row) {
    String value;
    if (row.isNullAt(index)) {
      value = "null";
    } else if (kind == Kind.TEXT) {
      value = row.getUTF8String(index).toString();
    } else {
      ArrayData array = row.getArray(index);
      StringBuilder text = new StringBuilder("[");
      for (int k = 0; k < array.numElements() && text.length() <= 120; k++) {
        text.append(k == 0 ? "" : ", ").append(array.isNullAt(k) ? "null" : element(array, k));
      }
      value = text.append(']').toString();
    }
    return name + " = " + (value.length() > 120 ? value.substring(0, 117) + "..." : value);
  }
}
