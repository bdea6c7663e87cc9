package dev.o2v.inference.text;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.core.data.DataException;
import org.junit.jupiter.api.Test;

class TextTokenizersTest {

  @Test
  void theHuggingFaceBindingIsFoundWhenItsJarIsOnTheClasspath() {
    assertDoesNotThrow(
        () -> TextTokenizers.requireClass(TextTokenizers.HUGGING_FACE_CLASS, "tokenizer.json"));
  }

  @Test
  void aMissingHuggingFaceJarIsOneLineNamingTheArtifactToAdd() {
    DataException e = assertThrows(DataException.class,
        () -> TextTokenizers.requireClass("ai.djl.huggingface.Absent", "model/tokenizer.json"));
    assertEquals("model/tokenizer.json: a Hugging Face tokenizer needs DJL's tokenizers jar;"
        + " add the dependency ai.djl.huggingface:tokenizers:" + ai.djl.engine.Engine
        .getDjlVersion(), e.getMessage());
  }
}
