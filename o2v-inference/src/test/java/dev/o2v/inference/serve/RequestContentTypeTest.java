package dev.o2v.inference.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.inference.InferenceFormat;
import dev.o2v.inference.InferenceRequestException;
import dev.o2v.inference.TruncationLengths;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestContentTypeTest {

  @Test
  void bareTypesMapToTheirFormats() {
    assertEquals(Optional.of(InferenceFormat.JSON),
        RequestContentType.parse("application/json").format());
    assertEquals(Optional.of(InferenceFormat.JSONLINES),
        RequestContentType.parse("Application/JSONLines; charset=UTF-8").format());
    assertEquals(Optional.empty(), RequestContentType.parse("application/json").maxSeqLens());
  }

  @Test
  void inferMaxSeqlensIsParsedPlainOrQuoted() {
    assertEquals(Optional.of(new TruncationLengths(10, 20)),
        RequestContentType.parse("application/json; infer_max_seqlens=10,20").maxSeqLens());
    assertEquals(Optional.of(new TruncationLengths(1, 5000)),
        RequestContentType.parse("application/jsonlines;infer_max_seqlens=\"1, 5000\"")
            .maxSeqLens());
  }

  @Test
  void inferMaxSeqlensOutOfRangeOrMalformedIsABadRequestNotAMediaTypeError() {
    for (String value : new String[] {"0,5", "5,5001", "5", "a,b", "1,2,3", ""}) {
      InferenceRequestException e = assertThrows(InferenceRequestException.class,
          () -> RequestContentType.parse("application/json; infer_max_seqlens=" + value));
      assertTrue(!(e instanceof UnsupportedMediaTypeException), value);
      assertTrue(e.getMessage().startsWith("infer_max_seqlens must be two integers in [1, 5000]"),
          e.getMessage());
    }
  }

  @Test
  void otherTypesAndCharsetsAreUnsupported() {
    for (String header : new String[] {"text/csv", "application/x-recordio-protobuf",
        "application/json; charset=latin1", "application/octet-stream; charset=latin1", ";",
        ";;;", " ; "}) {
      assertThrows(UnsupportedMediaTypeException.class, () -> RequestContentType.parse(header),
          header);
    }
  }

  @Test
  void noTypeABlankOneOrOctetStreamLeavesTheFormatToTheBody() {
    for (String header : new String[] {null, "", "  ", "application/octet-stream",
        "Application/Octet-Stream; charset=utf-8"}) {
      assertEquals(Optional.empty(), RequestContentType.parse(header).format(), "'" + header + "'");
    }
    assertEquals(Optional.of(new TruncationLengths(3, 4)),
        RequestContentType.parse("application/octet-stream; infer_max_seqlens=3,4").maxSeqLens());
  }
}
