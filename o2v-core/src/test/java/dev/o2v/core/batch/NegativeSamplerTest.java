package dev.o2v.core.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.o2v.core.data.DataException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {

  @Test
  void everyRecordAppearsOnceAsPositiveAndRateTimesAsNegativeAnchor() {
    int n = 50;
    int rate = 3;
    long[] refs = new NegativeSampler(rate).epochRefs(n, new SplittableRandom(1));
    assertEquals(n * (1 + rate), refs.length);
    int[] positives = new int[n];
    int[] anchors = new int[n];
    for (long ref : refs) {
      if (RecordRefs.isNegative(ref)) {
        anchors[RecordRefs.in0Source(ref)]++;
      } else {
        positives[RecordRefs.in0Source(ref)]++;
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(1, positives[i], "positives of record " + i);
      assertEquals(rate, anchors[i], "negatives anchored at record " + i);
    }
  }

  @Test
  void negativesNeverPairARecordWithItselfEvenWithTwoRecords() {
    long[] refs = new NegativeSampler(5).epochRefs(2, new SplittableRandom(9));
    for (int k = 2; k < refs.length; k++) {
      assertTrue(RecordRefs.isNegative(refs[k]), "ref " + k + " pairs a record with itself");
    }
  }

  @Test
  void otherRecordIsUniformOverTheOtherIndices() {
    int n = 5;
    int draws = 200_000;
    int[] counts = new int[n];
    SplittableRandom rng = new SplittableRandom(3);
    for (int d = 0; d < draws; d++) {
      counts[NegativeSampler.otherRecord(2, n, rng)]++;
    }
    assertEquals(0, counts[2], "record 2 drawn as its own negative");
    for (int j : new int[] {0, 1, 3, 4}) {
      double share = counts[j] / (double) draws;
      assertEquals(0.25, share, 0.01, "share of record " + j);
    }
  }

  @Test
  void sameSeedSameNegativesOtherSeedOthers() {
    NegativeSampler s = new NegativeSampler(2);
    long[] a = s.epochRefs(1000, new SplittableRandom(5));
    assertArrayEquals(a, s.epochRefs(1000, new SplittableRandom(5)));
    assertFalse(java.util.Arrays.equals(a, s.epochRefs(1000, new SplittableRandom(6))));
  }

  @Test
  void negativesNeedTwoRecords() {
    DataException e = assertThrows(DataException.class,
        () -> new NegativeSampler(1).epochRefs(1, new SplittableRandom(0)));
    assertEquals("negative_sampling_rate=1 needs at least 2 training records, found 1",
        e.getMessage());
    assertEquals(1, new NegativeSampler(0).epochRefs(1, new SplittableRandom(0)).length);
  }
}
