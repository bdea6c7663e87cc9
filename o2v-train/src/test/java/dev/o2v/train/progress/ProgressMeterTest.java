package dev.o2v.train.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {

  @Test
  void rateAndEtaFollowTheInjectedClock() {
    AtomicLong now = new AtomicLong(0);
    ProgressMeter meter = new ProgressMeter(now::get);
    meter.start(1000);
    now.set(2_000_000_000L);
    assertEquals(100.0, meter.rate(200), 1e-9, "200 records in 2 s");
    assertEquals(8.0, meter.etaSeconds(200), 1e-9, "800 left at 100/s");
  }

  @Test
  void lineShowsPercentRateLossAndEta() {
    AtomicLong now = new AtomicLong(0);
    ProgressMeter meter = new ProgressMeter(now::get);
    meter.start(1000);
    now.set(1_000_000_000L);
    String line = meter.line(2, 10, 500, 0.25, 10);
    assertTrue(line.startsWith("epoch 2 (3/10) [=====>    ]  50% 500/1000 500 rec/s"), line);
    assertTrue(line.endsWith("loss 0.2500 ETA 0:01"), line);
  }

  @Test
  void unknownEtaIsDashes() {
    assertEquals("--:--", ProgressMeter.clock(Double.NaN));
    assertEquals("1:01:01", ProgressMeter.clock(3661));
  }
}
