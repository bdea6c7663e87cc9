package dev.o2v.train.progress;

/** Receives the progress of an epoch, batch by batch. */
public interface ProgressListener {

  /** Called once before the first batch of epoch {@code epoch} (numbered from 0). */
  void epochStarted(int epoch, int totalEpochs, long totalRecords);

  /** Called after each batch with the records done so far in this epoch and the running loss. */
  void batchDone(long recordsDone, double meanLoss);

  /** Called once after the last batch of an epoch. */
  void epochFinished();

  /** A listener that shows nothing. */
  static ProgressListener silent() {
    return new ProgressListener() {
      @Override
      public void epochStarted(int epoch, int totalEpochs, long totalRecords) {}

      @Override
      public void batchDone(long recordsDone, double meanLoss) {}

      @Override
      public void epochFinished() {}
    };
  }
}
