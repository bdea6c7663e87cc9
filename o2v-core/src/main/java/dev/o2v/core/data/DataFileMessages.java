package dev.o2v.core.data;

import java.util.Locale;

/** The {@link RecordMessages} of data files (training, evaluation and batch inference). */
final class DataFileMessages implements RecordMessages {

  static final DataFileMessages INSTANCE = new DataFileMessages();

  private DataFileMessages() {}

  @Override
  public String endOfInput() {
    return "end of line";
  }

  @Override
  public String notAnObject(String found) {
    return "expected a JSON object, found " + found;
  }

  @Override
  public String duplicateField(String name) {
    return "duplicate field " + name;
  }

  @Override
  public String idsNotAnArray(int side, String found) {
    return DataSchema.fieldName(side) + " must be an array of integer ids, found " + found;
  }

  @Override
  public String idNotAnInteger(int side, int position, String found) {
    return String.format(Locale.ROOT, "%s must contain only integer ids, found %s at position %d",
        DataSchema.fieldName(side), found, position);
  }

  @Override
  public String idOutOfRange(int side, int position, String id, int vocabSize) {
    return String.format(Locale.ROOT,
        "%s id %s at position %d is out of range: ids must be in [0, %d) (enc%d_vocab_size=%d)",
        DataSchema.fieldName(side), id, position, vocabSize, side, vocabSize);
  }

  @Override
  public String noSide() {
    return "record has neither in0 nor in1";
  }
}
