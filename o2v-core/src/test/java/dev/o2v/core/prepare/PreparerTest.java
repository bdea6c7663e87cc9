package dev.o2v.core.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.ZeroIdRule;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.hp.HyperparameterCodec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.Network;
import dev.o2v.core.hp.OutputLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparerTest {

  @TempDir Path dir;

  private static final String SICK_LIKE =
      "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n"
          + "1\tA man is playing a guitar.\tA man plays the guitar!\t4.9\tENTAILMENT\n"
          + "2\tThe dog runs in the park\tNo dog is running\t3.1\tCONTRADICTION\n"
          + "3\tA woman slices an onion\tThe man is cooking\t2.0\tNEUTRAL\n"
          + "4\tKids play in the yard\tChildren are playing outside\t4.5\tENTAILMENT\n";

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static PairDataset load(Path dir, String part) {
    Hyperparameters hp = HyperparameterCodec.parseFile(dir.resolve(Preparer.HP_FILE));
    return new JsonlRecordReader(DataSchema.forTraining(hp).withZeroIds(ZeroIdRule.TOKEN)).load(
        Channel.of(dir.resolve(part + ".jsonl")));
  }

  private static int[] idsOf(Vocabulary vocab, List<String> tokens) {
    return tokens.stream().mapToInt(vocab::idOrUnknown).toArray();
  }

  @Test
  void sentencePairsBecomeIdRecordsThroughOneSharedVocabulary() throws IOException {
    Path out = dir.resolve("sick");
    OptionsBuilder o = new OptionsBuilder(write("sick.tsv", SICK_LIKE), out)
        .columns("sentence_A", "sentence_B", "entailment_judgment");
    o.labelMap = Optional.of(LabelMap.parse("entailment=0,neutral=1,contradiction=2"));
    PrepareResult result = o.run();

    assertEquals(List.of("train.jsonl", "vocab.json", "tokenizer.json", "hp.json"),
        result.files());
    Hyperparameters hp = HyperparameterCodec.parseFile(out.resolve("hp.json"));
    Vocabulary vocab = Vocabulary.read(out.resolve("vocab.json"), "<unk>");
    assertTrue(hp.tiedTokenEmbedding() && hp.enc1IsEnc0(), "shared vocabulary ties the tables");
    assertEquals(vocab.size(), hp.enc0().vocabSize());
    assertEquals(Optional.of("vocab.json"), hp.enc0().vocabFile());
    assertEquals(OutputLayer.SOFTMAX, hp.outputLayer());
    assertEquals(3, hp.numClasses());
    assertEquals(7, hp.enc0().maxSeqLen(), "the longest of 4 sequences is its 99th percentile");

    PairDataset data = load(out, "train");
    assertEquals(4, data.size());
    WordTokenizer tokenizer = new WordTokenizer(true);
    String[][] texts = {
      {"A man is playing a guitar.", "A man plays the guitar!"},
      {"The dog runs in the park", "No dog is running"},
      {"A woman slices an onion", "The man is cooking"},
      {"Kids play in the yard", "Children are playing outside"}};
    float[] labels = {0, 2, 1, 0};
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(idsOf(vocab, tokenizer.tokenize(texts[i][0])), data.ids(0, i), "in0 " + i);
      assertArrayEquals(idsOf(vocab, tokenizer.tokenize(texts[i][1])), data.ids(1, i), "in1 " + i);
      assertEquals(labels[i], data.label(i), "label " + i);
    }
    assertEquals(1, vocab.ids().get("the"), "'the' occurs most often (5 times)");
    assertEquals(2, vocab.ids().get("a"), "'a' comes next (4 times)");
    assertEquals(TokenizerDescription.Type.WORD,
        TokenizerDescription.read(out.resolve("tokenizer.json")).type());
  }

  @Test
  void vocabulariesAndLengthsComeFromTheTrainPartOnly() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      text.append("common w").append(i).append("\tother side\t").append(i % 2).append('\n');
    }
    Path out = dir.resolve("split");
    OptionsBuilder o = new OptionsBuilder(write("rows.tsv", text.toString()), out);
    o.split = SplitPlan.parse("train=0.75,validation=0.25");
    PrepareResult result = o.run();
    assertEquals(Map.of("train", 15, "validation", 5), result.rows());

    Vocabulary vocab = Vocabulary.read(out.resolve("vocab.json"), "<unk>");
    long uniqueWords = vocab.ids().keySet().stream().filter(t -> t.matches("w\\d+")).count();
    assertEquals(15, uniqueWords, "only train rows' words: " + vocab.ids().keySet());
    PairDataset validation = load(out, "validation");
    for (int i = 0; i < validation.size(); i++) {
      assertEquals(0, validation.ids(0, i)[1], "held-out word of validation row " + i);
    }
    assertEquals(5L, result.unknownTokens().get(0));
  }

  @Test
  void integerIdColumnsPassThroughAsOneTokenSequences() throws IOException {
    Path out = dir.resolve("ratings");
    Path input = write("ratings.tsv", "3\t10\t4\n0\t7\t5\n5\t2\t1\n");
    OptionsBuilder o = new OptionsBuilder(input, out);
    PrepareResult result = o.run();
    assertEquals(List.of("train.jsonl", "tokenizer.json", "hp.json"), result.files());

    Hyperparameters hp = HyperparameterCodec.parseFile(out.resolve("hp.json"));
    assertEquals(6, hp.enc0().vocabSize(), "max user id 5 + 1");
    assertEquals(11, hp.enc1().vocabSize(), "max item id 10 + 1");
    assertEquals(1, hp.enc0().maxSeqLen());
    assertEquals(Network.POOLED_EMBEDDING, hp.enc1().network());
    assertFalse(hp.tiedTokenEmbedding());
    assertEquals(OutputLayer.MEAN_SQUARED_ERROR, hp.outputLayer(), "ratings 1..5 regress");
    PairDataset data = load(out, "train");
    assertArrayEquals(new int[] {5}, data.ids(0, 2));
    assertArrayEquals(new int[] {2}, data.ids(1, 2));
    assertEquals(1f, data.label(2));
    TokenizerDescription d = TokenizerDescription.read(out.resolve("tokenizer.json"));
    assertEquals(ColumnKind.IDS, d.kind(0));
    assertEquals(ColumnKind.IDS, d.kind(1));
  }

  @Test
  void aTextSideBesideAnIdSideGetsItsOwnEncoder() throws IOException {
    Path out = dir.resolve("mixed");
    OptionsBuilder o = new OptionsBuilder(
        write("mixed.tsv", "red shoes\t4\t1\nblue hat\t2\t0\n"), out);
    o.run();
    Hyperparameters hp = HyperparameterCodec.parseFile(out.resolve("hp.json"));
    assertFalse(hp.enc1IsEnc0());
    assertEquals(Network.BILSTM, hp.enc0().network());
    assertEquals(Optional.of("vocab0.json"), hp.enc0().vocabFile());
    assertEquals(Network.POOLED_EMBEDDING, hp.enc1().network());
    assertEquals(5, hp.enc1().vocabSize());
    assertTrue(Files.exists(out.resolve("vocab0.json")));
    assertFalse(Files.exists(out.resolve("vocab1.json")));
  }

  @Test
  void separateVocabulariesForTwoTextSidesWhenAsked() throws IOException {
    Path out = dir.resolve("separate");
    OptionsBuilder o = new OptionsBuilder(write("s.tsv", "a b\tc\t0\nb\td d\t1\n"), out);
    o.shared = Optional.of(false);
    o.run();
    Hyperparameters hp = HyperparameterCodec.parseFile(out.resolve("hp.json"));
    assertEquals(Map.of("<unk>", 0, "a", 2, "b", 1),
        Vocabulary.read(out.resolve("vocab0.json"), "<unk>").ids());
    assertEquals(Map.of("<unk>", 0, "d", 1, "c", 2),
        Vocabulary.read(out.resolve("vocab1.json"), "<unk>").ids());
    assertEquals(Optional.of("vocab1.json"), hp.enc1().vocabFile());
    assertEquals(2, hp.enc1().maxSeqLen());
    assertFalse(hp.tiedTokenEmbedding());
  }

  @Test
  void anExistingVocabularyIsReusedAndCopied() throws IOException {
    Path first = dir.resolve("first");
    new OptionsBuilder(write("a.tsv", "the cat\tthe dog\t1\nthe cat\ta cat\t0\n"), first).run();
    Path second = dir.resolve("second");
    OptionsBuilder o = new OptionsBuilder(write("b.tsv", "the bird\tthe cat\t1\nx\ty\t0\n"),
        second).vocab(first.resolve("vocab.json"));
    PrepareResult result = o.run();
    assertEquals(Files.readString(first.resolve("vocab.json")),
        Files.readString(second.resolve("vocab.json")));
    Vocabulary vocab = Vocabulary.read(second.resolve("vocab.json"), "<unk>");
    assertArrayEquals(new int[] {vocab.ids().get("the"), 0}, load(second, "train").ids(0, 0));
    assertEquals(3L, result.unknownTokens().get(0) + result.unknownTokens().get(1) - 0L,
        "bird, x and y are unknown");
  }

  @Test
  void unknownTokensWithoutAnUnknownEntryAreDataErrors() throws IOException {
    Path vocab = write("v.json", "{\"the\": 0, \"cat\": 1}");
    Path input = write("c.tsv", "the cat\tthe\t1\nthe dog\tcat\t0\n");
    OptionsBuilder o = new OptionsBuilder(input, dir.resolve("out")).vocab(vocab);
    PrepareException e = assertThrows(PrepareException.class, o::run);
    assertEquals(input + ":2: token 'dog' of in0 (column '0') is not in the vocabulary, which has"
        + " no '<unk>' entry", e.getMessage());
  }

  @Test
  void pretrainedVectorsAreTrimmedAndSetTheTokenDim() throws IOException {
    Path glove = write("glove.txt", "the 1 2 3 4\nfish 5 6 7 8\ncat 0 0 0 1\n");
    Path out = dir.resolve("glove");
    OptionsBuilder o = new OptionsBuilder(write("p.tsv", "the cat\ta dog\t1\ncat\tdog\t0\n"), out);
    o.pretrained = Optional.of(glove);
    PrepareResult result = o.run();
    Hyperparameters hp = HyperparameterCodec.parseFile(out.resolve("hp.json"));
    assertEquals(Optional.of("pretrained.txt"), hp.enc0().pretrainedEmbeddingFile());
    assertEquals(4, hp.enc0().tokenEmbeddingDim());
    assertEquals(List.of("the 1 2 3 4", "cat 0 0 0 1"),
        Files.readAllLines(out.resolve("pretrained.txt")));
    assertEquals(2, result.pretrained().get(0).found());
  }

  @Test
  void minCountSendsRareTokensToTheUnknownId() throws IOException {
    Path out = dir.resolve("min");
    OptionsBuilder o = new OptionsBuilder(write("m.tsv", "a a b\ta c\t1\na\tb\t0\n"), out);
    o.minCount = 2;
    o.run();
    assertEquals(Map.of("<unk>", 0, "a", 1, "b", 2),
        Vocabulary.read(out.resolve("vocab.json"), "<unk>").ids());
  }

  @Test
  void textInAnIdsColumnNamesTheLine() throws IOException {
    Path input = write("i.tsv", "1\t2\t0\n3\tfour\t1\n");
    OptionsBuilder o = new OptionsBuilder(input, dir.resolve("ids"));
    o.kind1 = ColumnKind.IDS;
    assertEquals(input + ":2: in1 (column '1') must be a non-negative integer id, found 'four'",
        assertThrows(PrepareException.class, o::run).getMessage());
  }

  @Test
  void sharingAVocabularyBetweenTextAndIdsIsAUsageError() throws IOException {
    OptionsBuilder o = new OptionsBuilder(write("x.tsv", "hello\t2\t0\nbye\t3\t1\n"),
        dir.resolve("x"));
    o.shared = Optional.of(true);
    assertThrows(IllegalArgumentException.class, o::run);
  }
}
