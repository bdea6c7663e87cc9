package dev.o2v.api;

import ai.djl.Device;
import dev.o2v.core.data.DataException;
import dev.o2v.inference.InferenceInstance;
import dev.o2v.inference.InferenceResult;
import dev.o2v.inference.InferenceRunner;
import dev.o2v.inference.InvalidRecordException;
import dev.o2v.inference.text.TextEncoder;
import dev.o2v.train.model.ModelFormatException;
import dev.o2v.train.model.TrainedModel;
import dev.o2v.train.runtime.DeviceSelector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A trained Object2Vec model opened for inference in the calling JVM: embeddings of either side
 * and scores of pairs, for id sequences or, when the model keeps the tokenizer and vocabulary it
 * was prepared with, raw text.
 *
 * <pre>{@code
 * try (Object2VecModel model = Object2VecModel.open(Path.of("model"))) {
 *   float[][] vectors = model.embed(Side.IN0, List.of(new int[] {6, 17, 4}, new int[] {16}));
 *   float[][] scores = model.score(List.of(new int[] {6, 17}), List.of(new int[] {16, 21}));
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> An instance is thread-safe: any number of threads may call it at once,
 * and each call runs on the calling thread (calls from several threads run side by side and
 * share the weights, which are only read). Models may be opened on any thread, any number of
 * times. {@link #close} waits for running calls; calls after it fail with {@link
 * IllegalStateException}.
 *
 * <p>Inputs are validated before anything is computed, and a bad one fails the whole call with an
 * {@link InvalidInputException} naming its position. Sequences longer than the side's
 * {@code max_seq_len} are truncated to it. The id arrays passed in are not copied: do not change
 * them while a call runs.
 */
public final class Object2VecModel implements AutoCloseable {

  private final TrainedModel model;
  private final InferenceRunner runner;
  private final TextEncoder text;
  private final Lock using;
  private final Lock closing;
  private boolean closed;

  private Object2VecModel(TrainedModel model, InferenceRunner runner, TextEncoder text) {
    this.model = model;
    this.runner = runner;
    this.text = text;
    ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    this.using = lock.readLock();
    this.closing = lock.writeLock();
  }

  /**
   * Opens a model directory written by {@code o2v train} with the {@link ModelOptions#defaults()
   * default options} (CPU).
   *
   * @param directory the model directory
   * @return the open model; close it to free its native memory
   * @throws IOException when the directory cannot be read or is not a complete model (the message
   *     names the file)
   */
  public static Object2VecModel open(Path directory) throws IOException {
    return open(directory, ModelOptions.defaults());
  }

  /**
   * Opens a model directory written by {@code o2v train}.
   *
   * @param directory the model directory
   * @param options device, libtorch threads, rows per forward pass
   * @return the open model; close it to free its native memory
   * @throws IOException when the directory cannot be read or is not a complete model (the message
   *     names the file)
   * @throws IllegalStateException when {@link ComputeDevice#GPU} is asked for and the engine sees
   *     no GPU
   */
  public static Object2VecModel open(Path directory, ModelOptions options) throws IOException {
    OpenMpWaitPolicy.beforeEngineStarts();
    options.threads().ifPresent(EngineThreads::set);
    TrainedModel model;
    try {
      Device device = DeviceSelector.forEngine().select(options.device().choice());
      model = TrainedModel.load(directory, device);
    } catch (ModelFormatException e) {
      throw new IOException(e.getMessage(), e);
    } catch (DeviceSelector.NoGpuException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      TextEncoder text = model.tokenizerFile().isPresent() ? TextEncoder.forModel(model) : null;
      return new Object2VecModel(model, new InferenceRunner(model, options.maxBatchRows()), text);
    } catch (ModelFormatException e) {
      model.close();
      throw new IOException(e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The directory the model was opened from.
   *
   * @return the model directory
   */
  public Path directory() {
    return model.directory();
  }

  /**
   * The length of an embedding.
   *
   * @return {@code enc_dim}
   */
  public int embeddingWidth() {
    return runner.embeddingWidth();
  }

  /**
   * The length of a pair's scores.
   *
   * @return {@code num_classes} for a softmax model (class probabilities), 1 for regression
   */
  public int scoreWidth() {
    return runner.scoreWidth();
  }

  /**
   * The number of ids a side knows; valid ids are {@code 0} to {@code vocabularySize - 1}.
   *
   * @param side the side
   * @return {@code encX_vocab_size}
   */
  public int vocabularySize(Side side) {
    return runner.vocabSize(side.index());
  }

  /**
   * The longest sequence a side reads; longer ones are truncated.
   *
   * @param side the side
   * @return {@code encX_max_seq_len}
   */
  public int maxSequenceLength(Side side) {
    return runner.defaultLengths().of(side.index());
  }

  /**
   * Whether {@link #embedText} and {@link #encodeText} work: the model was trained on the output
   * of {@code o2v prepare} and keeps its tokenizer description and vocabularies.
   *
   * @return true when the model can read raw text
   */
  public boolean acceptsText() {
    return text != null;
  }

  /**
   * Embeds one side of many sequences.
   *
   * @param side the side whose encoder runs
   * @param sequences token-id sequences; result {@code i} is the embedding of sequence {@code i}
   * @return one array of {@link #embeddingWidth()} floats per sequence
   * @throws InvalidInputException for the first null sequence or id outside the side's vocabulary
   *     (an empty sequence, or one of only id 0, embeds to the zero vector)
   */
  public float[][] embed(Side side, List<int[]> sequences) {
    return arrays(run(singles(side, sequences)));
  }

  /**
   * {@link #embed} into one row-major array.
   *
   * @param side the side whose encoder runs
   * @param sequences token-id sequences; row {@code i} is the embedding of sequence {@code i}
   * @return {@code sequences.size()} rows of {@link #embeddingWidth()} floats
   * @throws InvalidInputException as {@link #embed}
   */
  public FloatMatrix embedFlat(Side side, List<int[]> sequences) {
    return flat(run(singles(side, sequences)), embeddingWidth());
  }

  /**
   * Scores pairs: {@code in0.get(i)} with {@code in1.get(i)}.
   *
   * @param in0 the {@code in0} sequences
   * @param in1 the {@code in1} sequences, as many as {@code in0}
   * @return one array of {@link #scoreWidth()} floats per pair
   * @throws InvalidInputException for the first pair with a null sequence or an id outside its
   *     side's vocabulary (an empty side is scored from the zero encoding)
   */
  public float[][] score(List<int[]> in0, List<int[]> in1) {
    return arrays(run(pairs(in0, in1)));
  }

  /**
   * {@link #score} into one row-major array.
   *
   * @param in0 the {@code in0} sequences
   * @param in1 the {@code in1} sequences, as many as {@code in0}
   * @return {@code in0.size()} rows of {@link #scoreWidth()} floats
   * @throws InvalidInputException as {@link #score}
   */
  public FloatMatrix scoreFlat(List<int[]> in0, List<int[]> in1) {
    return flat(run(pairs(in0, in1)), scoreWidth());
  }

  /**
   * The ids the model reads for a raw text: tokenized and looked up as {@code o2v prepare} did
   * (an id side takes white-space separated ids).
   *
   * @param side the side the text is for
   * @param value the text
   * @return the token ids, not truncated; none when the text has no tokens
   * @throws IllegalStateException when the model does not {@link #acceptsText() accept text}
   * @throws InvalidInputException (index 0) when a token is unknown and the vocabulary has no
   *     unknown entry, or an id side gets something other than ids below its vocab size
   */
  public int[] encodeText(Side side, String value) {
    return encodeAt(side, value, 0);
  }

  /**
   * Embeds raw texts of one side.
   *
   * @param side the side whose encoder runs
   * @param texts the texts; result {@code i} is the embedding of text {@code i}
   * @return one array of {@link #embeddingWidth()} floats per text
   * @throws IllegalStateException when the model does not {@link #acceptsText() accept text}
   * @throws InvalidInputException for the first null text (text without tokens embeds to zeros)
   */
  public float[][] embedText(Side side, List<String> texts) {
    return embed(side, encodeAll(side, texts));
  }

  /**
   * {@link #embedText} into one row-major array.
   *
   * @param side the side whose encoder runs
   * @param texts the texts; row {@code i} is the embedding of text {@code i}
   * @return {@code texts.size()} rows of {@link #embeddingWidth()} floats
   * @throws IllegalStateException when the model does not {@link #acceptsText() accept text}
   * @throws InvalidInputException as {@link #embedText}
   */
  public FloatMatrix embedTextFlat(Side side, List<String> texts) {
    return embedFlat(side, encodeAll(side, texts));
  }

  /** Frees the model's native memory once running calls are done; later calls fail. */
  @Override
  public void close() {
    closing.lock();
    try {
      if (!closed) {
        closed = true;
        if (text != null) {
          text.close();
        }
        model.close();
      }
    } finally {
      closing.unlock();
    }
  }

  private List<int[]> encodeAll(Side side, List<String> texts) {
    List<int[]> ids = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ids.add(encodeAt(side, texts.get(i), i));
    }
    return ids;
  }

  private int[] encodeAt(Side side, String value, int index) {
    if (text == null) {
      throw new IllegalStateException(
          model.directory() + " has no tokenizer description, so it cannot read raw text"
              + " (train with --aux pointing at an o2v prepare output directory)");
    }
    if (value == null) {
      throw new InvalidInputException(index, "null instead of a text");
    }
    try {
      return text.encode(side.index(), value);
    } catch (DataException e) {
      throw new InvalidInputException(index, e.getMessage());
    }
  }

  private static List<InferenceInstance> singles(Side side, List<int[]> sequences) {
    List<InferenceInstance> records = new ArrayList<>(sequences.size());
    for (int i = 0; i < sequences.size(); i++) {
      int[] ids = checked(sequences.get(i), i, side);
      records.add(InferenceInstance.single(side.index(), ids));
    }
    return records;
  }

  private static List<InferenceInstance> pairs(List<int[]> in0, List<int[]> in1) {
    if (in0.size() != in1.size()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "in0 and in1 must hold as many sequences, found %d and %d",
              in0.size(),
              in1.size()));
    }
    List<InferenceInstance> records = new ArrayList<>(in0.size());
    for (int i = 0; i < in0.size(); i++) {
      int[] first = checked(in0.get(i), i, Side.IN0);
      records.add(InferenceInstance.pair(first, checked(in1.get(i), i, Side.IN1)));
    }
    return records;
  }

  private static int[] checked(int[] ids, int index, Side side) {
    if (ids == null) {
      throw new InvalidInputException(index, side.key() + " is null");
    }
    // An empty side is valid: like a side of only id 0 (padding) it encodes to the zero vector.
    return ids;
  }

  private List<InferenceResult> run(List<InferenceInstance> records) {
    using.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model of " + model.directory() + " is closed");
      }
      return runner.infer(records);
    } catch (InvalidRecordException e) {
      throw new InvalidInputException(e.index(), e.reason());
    } finally {
      using.unlock();
    }
  }

  private static float[][] arrays(List<InferenceResult> results) {
    float[][] out = new float[results.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = results.get(i).values();
    }
    return out;
  }

  private static FloatMatrix flat(List<InferenceResult> results, int width) {
    float[] values = new float[Math.multiplyExact(results.size(), width)];
    for (int i = 0; i < results.size(); i++) {
      System.arraycopy(results.get(i).values(), 0, values, i * width, width);
    }
    return new FloatMatrix(values, results.size(), width);
  }
}
