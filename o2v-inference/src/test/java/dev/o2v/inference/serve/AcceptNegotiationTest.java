package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.o2v.inference.InferenceFormat;
import org.junit.jupiter.api.Test;

class AcceptNegotiationTest {

  private static final InferenceFormat JSON = InferenceFormat.JSON;
  private static final InferenceFormat LINES = InferenceFormat.JSONLINES;

  @Test
  void missingOrWildcardAcceptAnswersInTheRequestFormat() {
    assertEquals(LINES, AcceptNegotiation.choose(null, LINES));
    assertEquals(JSON, AcceptNegotiation.choose(" ", JSON));
    assertEquals(LINES, AcceptNegotiation.choose("*/*", LINES));
    assertEquals(JSON, AcceptNegotiation.choose("application/*", JSON));
  }

  @Test
  void explicitTypeWinsOverTheRequestFormat() {
    assertEquals(LINES, AcceptNegotiation.choose("application/jsonlines", JSON));
    assertEquals(JSON, AcceptNegotiation.choose("text/html, application/json", LINES));
  }

  @Test
  void qualityOrdersTheChoiceAndZeroExcludes() {
    assertEquals(LINES,
        AcceptNegotiation.choose("application/json;q=0.5, application/jsonlines", JSON));
    assertEquals(JSON, AcceptNegotiation.choose("application/jsonlines;q=0, */*", JSON));
  }

  @Test
  void nothingAcceptableIsUnsupported() {
    assertThrows(UnsupportedMediaTypeException.class,
        () -> AcceptNegotiation.choose("text/csv", JSON));
    assertThrows(UnsupportedMediaTypeException.class,
        () -> AcceptNegotiation.choose("application/json;q=0", JSON));
  }
}
