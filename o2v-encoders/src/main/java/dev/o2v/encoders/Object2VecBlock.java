package dev.o2v.encoders;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.o2v.core.hp.ComparatorOp;
import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.encoders.encoder.EncoderFactory;
import dev.o2v.encoders.encoder.HcnnEncoder;
import dev.o2v.encoders.encoder.PooledEmbeddingEncoder;
import dev.o2v.encoders.encoder.TokenMatrixFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two-input Object2Vec network: per side a token table, an encoder and dropout on the
 * encoding; then comparator, MLP (dropout after every activation) and head.
 *
 * <p>Input {@code NDList(ids0 [B, T0] int32, len0 [B] int32, ids1 [B, T1] int32, len1 [B] int32)},
 * output {@code NDList(logits [B, C])} with C = {@code num_classes} (softmax) or 1 (regression).
 * Padding positions (at or beyond a row's length) may hold any valid id.
 *
 * <p>With {@code tied_token_embedding_weight} both sides look ids up in one {@link TokenEmbedding}
 * (the same block and parameter object, registered once). The encoders never share weights, also
 * when encoder 1 copies encoder 0's settings.
 *
 * <p>Dropout sits where SageMaker's network has it: on each encoder's output before the
 * comparator and after every MLP activation, never on the token vectors. Stacked hcnn and bilstm
 * layers also get dropout between layers. Dropout has no parameters and acts in training only,
 * so models saved when it sat on the token vectors load and infer unchanged.
 */
public final class Object2VecBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Hyperparameters hp;
  private final float dropoutRate;
  private final TokenEmbedding embedding0;
  private final TokenEmbedding embedding1;
  private final Dropout encodingDropout0;
  private final Dropout encodingDropout1;
  private final AbstractBlock encoder0;
  private final AbstractBlock encoder1;
  private final Comparator comparator;
  private final Mlp mlp;
  private final OutputHead head;
  /** Makes a pooled side's token matrix at inference ({@link #useTokenMatrices}). */
  private volatile TokenMatrixFactory tokenMatrices = PooledEmbeddingEncoder.COPIED_COO;

  /**
   * Sets how a pooled_embedding side's token matrix is made at inference; the module that binds
   * the engine passes one whose arrays own their memory ({@link TokenMatrixFactory}).
   */
  public void useTokenMatrices(TokenMatrixFactory matrices) {
    this.tokenMatrices = matrices;
  }

  /**
   * Builds the (uninitialised) network that {@code hp} describes.
   *
   * @throws IllegalArgumentException when tied tables are asked for with different vocab sizes or
   *     token dims
   */
  public Object2VecBlock(Hyperparameters hp) {
    super(VERSION);
    this.hp = hp;
    float dropout = (float) hp.dropout();
    this.dropoutRate = dropout;
    if (hp.tiedTokenEmbedding()) {
      checkTieable(hp.enc0(), hp.enc1());
    }
    embedding0 = addChildBlock("embedding0", table(hp.enc0()));
    embedding1 =
        hp.tiedTokenEmbedding() ? embedding0 : addChildBlock("embedding1", table(hp.enc1()));
    // The dropout blocks keep their place among the children (before the encoders) so that the
    // parameter file's layout is the one models were saved with.
    encodingDropout0 =
        addChildBlock("encodingDropout0", Dropout.builder().optRate(dropout).build());
    encodingDropout1 =
        addChildBlock("encodingDropout1", Dropout.builder().optRate(dropout).build());
    encoder0 = addChildBlock("encoder0", EncoderFactory.create(hp.enc0(), hp.encDim(), dropout));
    encoder1 = addChildBlock("encoder1", EncoderFactory.create(hp.enc1(), hp.encDim(), dropout));
    comparator = addChildBlock("comparator", new Comparator(hp.comparators()));
    mlp =
        addChildBlock(
            "mlp",
            Mlp.builder()
                .setLayers(hp.mlpLayers())
                .setUnits(hp.mlpDim())
                .setActivation(hp.mlpActivation())
                .optDropout(dropout)
                .build());
    head = addChildBlock("head", new OutputHead(hp.outputLayer(), hp.numClasses()));
  }

  /** The hyperparameters this network was built from. */
  public Hyperparameters hyperparameters() {
    return hp;
  }

  /**
   * Declares that the weights no longer change, as for a model loaded for inference: inference
   * passes may then keep arrays they derive from the weights instead of deriving them in every
   * pass (the hcnn encoders' product kernels, {@link HcnnEncoder#freezeWeights}). Training passes
   * are unaffected. Call {@link #thawWeights} before changing the weights again.
   */
  public void freezeWeights() {
    for (int side = 0; side < 2; side++) {
      if (encoder(side) instanceof HcnnEncoder hcnn) {
        hcnn.freezeWeights();
      }
    }
  }

  /** Undoes {@link #freezeWeights}, freeing what it kept; not while an inference pass runs. */
  public void thawWeights() {
    for (int side = 0; side < 2; side++) {
      if (encoder(side) instanceof HcnnEncoder hcnn) {
        hcnn.thawWeights();
      }
    }
  }

  /** The token table of {@code side} (0 or 1); the same object for both sides when tied. */
  public TokenEmbedding tokenEmbedding(int side) {
    return checkSide(side) == 0 ? embedding0 : embedding1;
  }

  /** Whether both sides share one token table. */
  public boolean tiedTokenEmbedding() {
    return embedding0 == embedding1;
  }

  /** The encoder of {@code side} (0 or 1). */
  public AbstractBlock encoder(int side) {
    return checkSide(side) == 0 ? encoder0 : encoder1;
  }

  /** The comparator joining the two encodings. */
  public Comparator comparator() {
    return comparator;
  }

  /** The MLP between comparator and head. */
  public Mlp mlp() {
    return mlp;
  }

  /** The output head. */
  public OutputHead head() {
    return head;
  }

  /**
   * Writes pretrained vectors into the tables of the sides that name an embedding file, and freezes
   * those rows where the side asks for it. Call after {@link #initialize}. With tied tables a file
   * pair named by both sides is applied once.
   *
   * @param auxiliaryDir directory holding the embedding and vocabulary files
   * @throws PretrainedEmbeddingException for unusable files
   */
  public void applyPretrainedEmbeddings(Path auxiliaryDir) {
    for (int side = 0; side < 2; side++) {
      EncoderSpec spec = hp.encoder(side);
      if (spec.pretrainedEmbeddingFile().isEmpty()) {
        continue;
      }
      if (side == 1 && tiedTokenEmbedding() && sameFiles(hp.enc0(), spec)) {
        continue;
      }
      if (spec.vocabFile().isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "enc%d_vocab_file must be set when enc%d_pretrained_embedding_file is, found none",
                side,
                side));
      }
      String vocabFile = spec.vocabFile().get();
      TokenEmbedding table = tokenEmbedding(side);
      PretrainedEmbeddings.load(
              auxiliaryDir,
              spec.pretrainedEmbeddingFile().get(),
              vocabFile,
              table.vocabSize(),
              table.embeddingDim())
          .applyTo(table, spec.freezePretrainedEmbedding());
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    if (!training && (pooled(0) || pooled(1))) {
      NDArray e0 = embed(parameterStore, inputs.get(0), inputs.get(1), 0);
      NDArray e1 = embed(parameterStore, inputs.get(2), inputs.get(3), 1);
      return forwardEncodings(parameterStore, e0, e1, false);
    }
    NDArray emb0 = embedding0.lookup(parameterStore, inputs.get(0), training);
    NDArray emb1 = embedding1.lookup(parameterStore, inputs.get(2), training);
    return forwardEmbedded(parameterStore, emb0, inputs.get(1), emb1, inputs.get(3), training);
  }

  /** Whether side {@code side}'s encoder is pooled_embedding. */
  private boolean pooled(int side) {
    return encoder(side) instanceof PooledEmbeddingEncoder;
  }

  /**
   * The pair forward pass from token vectors that were already looked up (for trainers that gather
   * table rows themselves).
   *
   * @param emb0 {@code [B, T0, D0]} token vectors of side 0
   * @param len0 {@code [B]} int32 lengths of side 0
   * @param emb1 {@code [B, T1, D1]} token vectors of side 1
   * @param len1 {@code [B]} int32 lengths of side 1
   * @return {@code NDList(logits [B, C])}
   */
  public NDList forwardEmbedded(
      ParameterStore parameterStore,
      NDArray emb0,
      NDArray len0,
      NDArray emb1,
      NDArray len1,
      boolean training) {
    NDArray[] encodings = encodeBothEmbedded(parameterStore, emb0, len0, emb1, len1, training);
    return forwardEncodings(parameterStore, encodings[0], encodings[1], training);
  }

  /**
   * Both sides' encoders, then (in training) dropout on each output, side 0 first: {@link
   * #encodeEmbedded} for each side, or one pass for both when they are hcnn encoders alike in
   * everything but their weights ({@link HcnnEncoder#encodePair}).
   *
   * @param emb0 {@code [B, T0, D0]} token vectors of side 0
   * @param len0 {@code [B]} int32 lengths of side 0
   * @param emb1 {@code [B, T1, D1]} token vectors of side 1
   * @param len1 {@code [B]} int32 lengths of side 1
   * @return the two encodings {@code [B, encDim]}, side 0 first
   */
  public NDArray[] encodeBothEmbedded(
      ParameterStore parameterStore,
      NDArray emb0,
      NDArray len0,
      NDArray emb1,
      NDArray len1,
      boolean training) {
    if (encoder0 instanceof HcnnEncoder hcnn0 && encoder1 instanceof HcnnEncoder hcnn1
        && hcnn0.pairsWith(hcnn1, emb0, emb1)) {
      NDList both =
          HcnnEncoder.encodePair(parameterStore, hcnn0, emb0, len0, hcnn1, emb1, len1, training);
      return new NDArray[] {dropEncoding(parameterStore, both.get(0), 0, training),
          dropEncoding(parameterStore, both.get(1), 1, training)};
    }
    NDArray e0 = encodeEmbedded(parameterStore, emb0, len0, 0, training);
    return new NDArray[] {e0, encodeEmbedded(parameterStore, emb1, len1, 1, training)};
  }

  /**
   * The pair forward pass from both sides' encodings, dropout already applied (for trainers that
   * compute an encoder's output themselves and pass it through {@link #dropEncoding}):
   * comparator, MLP and head.
   *
   * @param e0 {@code [B, encDim]} side 0's encoding
   * @param e1 {@code [B, encDim]} side 1's encoding
   * @return {@code NDList(logits [B, C])}
   */
  public NDList forwardEncodings(
      ParameterStore parameterStore, NDArray e0, NDArray e1, boolean training) {
    NDList joined = new NDList(comparator.compare(e0, e1));
    return head.forward(parameterStore, mlp.forward(parameterStore, joined, training), training);
  }

  /**
   * Encoder of one side, then (in training) dropout on its output.
   *
   * @param embedded {@code [B, T, D]} token vectors
   * @param lengths {@code [B]} int32 lengths
   * @return {@code [B, encDim]}
   */
  public NDArray encodeEmbedded(
      ParameterStore parameterStore,
      NDArray embedded,
      NDArray lengths,
      int side,
      boolean training) {
    return dropEncoding(parameterStore,
        encoderOutput(parameterStore, embedded, lengths, side, training), side, training);
  }

  private NDArray encoderOutput(ParameterStore parameterStore, NDArray embedded, NDArray lengths,
      int side, boolean training) {
    return encoder(side).forward(parameterStore, new NDList(embedded, lengths), training)
        .singletonOrThrow();
  }

  /**
   * Side {@code side}'s dropout on its encoder's output {@code [B, encDim]} in training; the
   * encoding itself otherwise. Each call draws from the engine's random generator, so callers
   * apply it in side order, side 0 first, as {@link #forwardEmbedded} does.
   */
  public NDArray dropEncoding(
      ParameterStore parameterStore, NDArray encoded, int side, boolean training) {
    Dropout dropout = checkSide(side) == 0 ? encodingDropout0 : encodingDropout1;
    // Dropout is the identity at rate 0 and outside training: skip its native call then.
    return training && dropoutRate > 0f
        ? dropout.forward(parameterStore, new NDList(encoded), true).head()
        : encoded;
  }

  /**
   * The inference embedding of one side: that side's table and encoder only.
   *
   * @param ids {@code [B, T]} int32 token ids
   * @param lengths {@code [B]} int32 lengths
   * @param side 0 or 1
   * @return {@code [B, encDim]}
   */
  public NDArray embed(ParameterStore parameterStore, NDArray ids, NDArray lengths, int side) {
    if (pooled(side)) {
      // Only the named rows, never the padded token vectors (PooledEmbeddingEncoder#meanOfIds).
      NDArray table = parameterStore.getValue(tokenEmbedding(side).table(), ids.getDevice(), false);
      return PooledEmbeddingEncoder.meanOfIds(table, ids, lengths, tokenMatrices);
    }
    NDArray embedded = tokenEmbedding(side).lookup(parameterStore, ids, false);
    return encodeEmbedded(parameterStore, embedded, lengths, side, false);
  }

  /**
   * Inference scores of pairs: class probabilities {@code [B, num_classes]} that sum to 1 per row
   * (softmax), or the predicted value {@code [B, 1]} (regression).
   *
   * @param inputs {@code NDList(ids0, len0, ids1, len1)} as for the forward pass
   */
  public NDArray score(ParameterStore parameterStore, NDList inputs) {
    return head.scores(forward(parameterStore, inputs, false).singletonOrThrow());
  }

  /** {@inheritDoc} {@code ([B, T0], [B], [B, T1], [B])} → {@code [B, C]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), head.width())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape emb0 =
        initializeSide(
            manager, dataType, embedding0, encodingDropout0, encoder0, inputShapes[0],
            inputShapes[1]);
    Shape emb1 =
        initializeSide(
            manager, dataType, embedding1, encodingDropout1, encoder1, inputShapes[2],
            inputShapes[3]);
    Shape encoded0 = encoder0.getOutputShapes(new Shape[] {emb0, inputShapes[1]})[0];
    Shape encoded1 = encoder1.getOutputShapes(new Shape[] {emb1, inputShapes[3]})[0];
    comparator.initialize(manager, dataType, encoded0, encoded1);
    Shape joined = comparator.getOutputShapes(new Shape[] {encoded0, encoded1})[0];
    mlp.initialize(manager, dataType, joined);
    head.initialize(manager, dataType, mlp.getOutputShapes(new Shape[] {joined}));
  }

  private static Shape initializeSide(
      NDManager manager,
      DataType dataType,
      TokenEmbedding table,
      Dropout dropout,
      AbstractBlock encoder,
      Shape ids,
      Shape lengths) {
    if (!table.isInitialized()) {
      table.initialize(manager, dataType, ids);
    }
    Shape embedded = table.getOutputShapes(new Shape[] {ids})[0];
    encoder.initialize(manager, dataType, embedded, lengths);
    dropout.initialize(
        manager, dataType, encoder.getOutputShapes(new Shape[] {embedded, lengths}));
    return embedded;
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeUTF(structure());
  }

  @Override
  protected void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException(
          "unsupported Object2VecBlock format version " + loadVersion + ", expected " + VERSION);
    }
    readInputShapes(is);
    String saved = is.readUTF();
    if (!saved.equals(structure())) {
      throw new MalformedModelException(
          "saved network [" + saved + "] differs from the hyperparameters [" + structure() + "]");
    }
  }

  /** A one-line description of everything that decides the parameter layout. */
  private String structure() {
    return String.format(
        Locale.ROOT,
        "enc_dim=%d tied=%b enc0=%s enc1=%s comparator=%s mlp=%dx%d %s head=%s:%d",
        hp.encDim(),
        tiedTokenEmbedding(),
        describe(hp.enc0()),
        describe(hp.enc1()),
        hp.comparators().stream().map(ComparatorOp::key).collect(Collectors.joining(",")),
        hp.mlpLayers(),
        hp.mlpDim(),
        hp.mlpActivation().key(),
        hp.outputLayer().key(),
        head.width());
  }

  private static String describe(EncoderSpec spec) {
    return String.format(
        Locale.ROOT,
        "%s(vocab=%d,dim=%d,layers=%d,width=%d)",
        spec.network().key(),
        spec.vocabSize(),
        spec.tokenEmbeddingDim(),
        spec.layers(),
        spec.cnnFilterWidth());
  }

  private static TokenEmbedding table(EncoderSpec spec) {
    return TokenEmbedding.builder()
        .setVocabSize(spec.vocabSize())
        .setEmbeddingDim(spec.tokenEmbeddingDim())
        .build();
  }

  private static void checkTieable(EncoderSpec enc0, EncoderSpec enc1) {
    if (enc0.vocabSize() != enc1.vocabSize()
        || enc0.tokenEmbeddingDim() != enc1.tokenEmbeddingDim()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "tied_token_embedding_weight needs equal vocab sizes and token dims, found %dx%d"
                  + " and %dx%d",
              enc0.vocabSize(),
              enc0.tokenEmbeddingDim(),
              enc1.vocabSize(),
              enc1.tokenEmbeddingDim()));
    }
  }

  private static boolean sameFiles(EncoderSpec a, EncoderSpec b) {
    return a.pretrainedEmbeddingFile().equals(b.pretrainedEmbeddingFile())
        && a.vocabFile().equals(b.vocabFile());
  }

  private static int checkSide(int side) {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("side must be 0 or 1, found " + side);
    }
    return side;
  }
}
