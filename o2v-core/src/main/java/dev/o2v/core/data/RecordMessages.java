package dev.o2v.core.data;

/**
 * The wording of the record violations that data files and inference requests share; each
 * caller words them in its own terms and adds its own location ({@code FILE:LINE: } for data
 * files, {@code instances[2].} for a request body).
 *
 * <p>A {@code found} argument is already described for messages ({@code an array}, {@code
 * string "x"}, {@code 1.5}); an {@code id} argument is the id's text as written.
 */
public interface RecordMessages {

  /** The wording of data files, whose messages the reader prefixes with {@code FILE:LINE: }. */
  static RecordMessages dataFiles() {
    return DataFileMessages.INSTANCE;
  }

  /** What {@code found} says when the input ends where a value was expected. */
  String endOfInput();

  /** The record is not a JSON object. */
  String notAnObject(String found);

  /** A known field ({@code in0}, {@code in1} or {@code label}) appears twice. */
  String duplicateField(String name);

  /** A side's value is not an array. */
  String idsNotAnArray(int side, String found);

  /** The element at {@code position} of a side is not a JSON integer. */
  String idNotAnInteger(int side, int position, String found);

  /** The id at {@code position} of a side is outside {@code [0, vocabSize)}. */
  String idOutOfRange(int side, int position, String id, int vocabSize);

  /** The record carries neither side where one is enough. */
  String noSide();
}
