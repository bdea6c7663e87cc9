package dev.o2v.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordRefsTest {

  @Test
  void aPairRoundTripsBothIndicesUpToIntMax() {
    long ref = RecordRefs.pair(Integer.MAX_VALUE, 7);
    assertEquals(Integer.MAX_VALUE, RecordRefs.in0Source(ref));
    assertEquals(7, RecordRefs.in1Source(ref));
    assertTrue(RecordRefs.isNegative(ref));
    long other = RecordRefs.pair(3, Integer.MAX_VALUE);
    assertEquals(3, RecordRefs.in0Source(other));
    assertEquals(Integer.MAX_VALUE, RecordRefs.in1Source(other));
  }

  @Test
  void aPositiveUsesOneRecordForBothSides() {
    long ref = RecordRefs.positive(42);
    assertEquals(42, RecordRefs.in0Source(ref));
    assertEquals(42, RecordRefs.in1Source(ref));
    assertFalse(RecordRefs.isNegative(ref));
  }

  @Test
  void negativeIndicesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RecordRefs.pair(-1, 0));
  }
}
