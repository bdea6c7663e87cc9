package dev.o2v.core.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.o2v.core.data.Channel;
import dev.o2v.core.data.DataSchema;
import dev.o2v.core.data.DatasetSummary;
import dev.o2v.core.data.JsonlRecordReader;
import dev.o2v.core.data.LabelKind;
import dev.o2v.core.data.PairDataset;
import dev.o2v.core.data.SidePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateExamplesTest {

  @TempDir Path dir;

  @Test
  void quickstartChannelsParseWithTheSchemaOfItsHyperparameters() throws IOException {
    GenerateExamples.writeQuickstart(dir, GenerateExamples.DEFAULT_SEED);
    JsonNode hp = new ObjectMapper().readTree(dir.resolve("hp.json").toFile());
    int vocab = hp.get("enc0_vocab_size").asInt();
    int maxLen = hp.get("enc0_max_seq_len").asInt();
    DataSchema schema = new DataSchema(vocab, maxLen, vocab, maxLen, LabelKind.CLASS,
        hp.get("num_classes").asInt(), SidePolicy.BOTH_REQUIRED);
    long bytes = 0;
    for (String name : List.of("train", "validation", "test")) {
      Path file = dir.resolve(name + ".jsonl");
      PairDataset data = new JsonlRecordReader(schema).load(Channel.of(file));
      DatasetSummary summary = DatasetSummary.of(data);
      assertEquals(0, data.truncatedCount(0) + data.truncatedCount(1), name + " truncated");
      assertTrue(summary.classCounts().get(1) > data.size() / 3, name + ": " + summary.format());
      bytes += Files.size(file);
    }
    assertTrue(bytes < 1_000_000, "quickstart data is " + bytes + " bytes");
    hp.fieldNames().forEachRemaining(
        key -> assertTrue(key.matches("[a-z][a-z0-9_]*"), "hyperparameter key " + key));
  }

  @Test
  void theCheckedInQuickstartIsWhatTheGeneratorWrites() throws IOException {
    Path checkedIn = Path.of("..", "examples", "quickstart");
    GenerateExamples.writeQuickstart(dir, GenerateExamples.DEFAULT_SEED);
    for (String name : List.of("train.jsonl", "validation.jsonl", "test.jsonl", "hp.json")) {
      assertEquals(Files.readString(dir.resolve(name)), Files.readString(checkedIn.resolve(name)),
          name + " differs from the generator's output; rerun GenerateExamples");
    }
  }
}
