package dev.o2v.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpTraceTest {

  private static OpTrace parse(String json) throws Exception {
    return OpTrace.of(new ObjectMapper().readTree(json));
  }

  private static String event(String name, int tid, double ts, double dur) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"ph\":\"X\",\"name\":\"%s\",\"tid\":%d,\"ts\":%s,\"dur\":%s}",
        name,
        tid,
        ts,
        dur);
  }

  @Test
  void nestedOperatorsCountOnlyInTheTotal() throws Exception {
    String json =
        "{\"traceEvents\":["
            + event("aten::conv1d", 1, 0, 10)
            + ","
            + event("aten::convolution", 1, 1, 8)
            + ","
            + event("aten::empty", 1, 2, 1)
            + ","
            + event("aten::relu", 1, 10, 2)
            + "]}";
    OpTrace trace = parse(json);
    assertEquals(Map.of("aten::conv1d", 1, "aten::relu", 1), trace.issued(), trace.toString());
    assertEquals(4, trace.allAten(), trace.toString());
  }

  @Test
  void operatorsInsideABackwardNodeAreNotIssuedFromJava() throws Exception {
    String json =
        "["
            + event("autograd::engine::evaluate_function: MulBackward0", 1, 0, 5)
            + ","
            + event("MulBackward0", 1, 0, 4)
            + ","
            + event("aten::mul", 1, 1, 1)
            + ","
            + event("aten::add", 1, 6, 1)
            + "]";
    OpTrace trace = parse(json);
    assertEquals(Map.of("aten::add", 1), trace.issued(), trace.toString());
    assertEquals(1, trace.backwardNodes(), trace.toString());
    assertEquals(2, trace.allAten(), trace.toString());
  }

  @Test
  void threadsAreNestedSeparately() throws Exception {
    String json =
        "["
            + event("aten::mm", 1, 0, 10)
            + ","
            + event("aten::add", 2, 2, 1)
            + ","
            + event("aten::sum", 1, 3, 1)
            + ","
            + "{\"ph\":\"i\",\"name\":\"aten::marker\",\"tid\":1,\"ts\":20}"
            + "]";
    OpTrace trace = parse(json);
    assertEquals(Map.of("aten::mm", 1, "aten::add", 1), trace.issued(), trace.toString());
    assertEquals(2, trace.issuedTotal(), trace.toString());
    assertEquals(3, trace.allAten(), trace.toString());
  }
}
