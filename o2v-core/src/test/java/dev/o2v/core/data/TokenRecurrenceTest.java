package dev.o2v.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenRecurrenceTest {

  private static PairDataset data() {
    DataSchema schema =
        new DataSchema(100, 10, 100, 10, LabelKind.CLASS, 2, SidePolicy.BOTH_REQUIRED);
    return PairDataset.builder(schema)
        .add(new int[] {1, 2, 2}, new int[] {7}, 0)
        .add(new int[] {2, 3}, new int[] {7, 8, 1}, 1)
        .build();
  }

  @Test
  void untiedTablesCountTheirOwnSide() {
    TokenRecurrence r = TokenRecurrence.of(data(), false);
    assertEquals(5.0 / 3, r.of(0), 1e-12, "ids 1, 2, 2, 2, 3: three distinct");
    assertEquals(4.0 / 3, r.of(1), 1e-12, "ids 7, 7, 8, 1: three distinct");
  }

  @Test
  void aTiedTableCountsBothSides() {
    TokenRecurrence r = TokenRecurrence.of(data(), true);
    assertEquals(9.0 / 5, r.of(0), 1e-12, "ids 1, 2, 3, 7, 8 over nine positions");
    assertTrue(Double.isNaN(r.of(1)), "a tied network has no second table");
  }

  @Test
  void aSideWithoutIdsIsUnknown() {
    DataSchema schema =
        new DataSchema(100, 10, 100, 10, LabelKind.CLASS, 2, SidePolicy.AT_LEAST_ONE);
    PairDataset oneSided =
        PairDataset.builder(schema).add(new int[] {4, 4}, new int[0], 0).build();
    TokenRecurrence r = TokenRecurrence.of(oneSided, false);
    assertEquals(2.0, r.of(0), 1e-12);
    assertTrue(Double.isNaN(r.of(1)));
  }
}
