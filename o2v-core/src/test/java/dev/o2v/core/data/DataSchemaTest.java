package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.hp.ComparatorOp;
import dev.o2v.core.hp.EmbeddingStorage;
import dev.o2v.core.hp.EncoderSpec;
import dev.o2v.core.hp.Hyperparameters;
import dev.o2v.core.hp.MlpActivation;
import dev.o2v.core.hp.Network;
import dev.o2v.core.hp.OptimizerKind;
import dev.o2v.core.hp.OutputLayer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataSchemaTest {

  static Hyperparameters hp(OutputLayer head, int numClasses) {
    EncoderSpec enc0 = new EncoderSpec(Network.HCNN, 1000, 20, 64, 2, 3,
        Optional.empty(), Optional.empty(), true);
    EncoderSpec enc1 = new EncoderSpec(Network.BILSTM, 500, 7, 32, 1, 3,
        Optional.empty(), Optional.empty(), true);
    return new Hyperparameters(64, enc0, enc1, false, List.of(ComparatorOp.HADAMARD), 1, 64,
        MlpActivation.RELU, head, numClasses, 0.0, false, EmbeddingStorage.DENSE,
        OptimizerKind.ADAM, 0.001, 0.0, 32, 10, 3, 0.01, 0, 0);
  }

  @Test
  void trainingSchemaTakesSidesFromEachEncoderAndClassesFromTheHead() {
    DataSchema s = DataSchema.forTraining(hp(OutputLayer.SOFTMAX, 4));
    assertEquals(new DataSchema(1000, 20, 500, 7, LabelKind.CLASS, 4, SidePolicy.BOTH_REQUIRED), s);
    assertEquals(500, s.vocabSize(1));
    assertEquals(20, s.maxSeqLen(0));
  }

  @Test
  void regressionTrainingSchemaIgnoresNumClasses() {
    DataSchema s = DataSchema.forTraining(hp(OutputLayer.MEAN_SQUARED_ERROR, 2));
    assertEquals(LabelKind.REGRESSION, s.labelKind());
    assertEquals(0, s.numClasses());
  }

  @Test
  void inferenceSchemaNeedsOneSideAndIgnoresLabels() {
    DataSchema s = DataSchema.forInference(hp(OutputLayer.SOFTMAX, 2));
    assertEquals(LabelKind.IGNORED, s.labelKind());
    assertEquals(SidePolicy.AT_LEAST_ONE, s.sides());
    assertEquals(new DataSchema(1000, 3, 500, 4000, LabelKind.IGNORED, 0,
        SidePolicy.AT_LEAST_ONE), s.withMaxSeqLens(3, 4000));
  }

  @Test
  void inconsistentSchemasAreProgrammingErrors() {
    assertThrows(IllegalArgumentException.class,
        () -> new DataSchema(0, 1, 1, 1, LabelKind.IGNORED, 0, SidePolicy.AT_LEAST_ONE));
    assertThrows(IllegalArgumentException.class,
        () -> new DataSchema(2, 1, 2, 1, LabelKind.CLASS, 1, SidePolicy.BOTH_REQUIRED));
    assertThrows(IllegalArgumentException.class, () -> DataSchema.fieldName(2));
  }
}
