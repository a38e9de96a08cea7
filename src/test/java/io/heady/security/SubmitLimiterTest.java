package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.api.SubmitLimiter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket, on a clock moved by hand. */
class SubmitLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void burstThenRate() {
    SubmitLimiter l = new SubmitLimiter(2, 5, nanos::get);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, l.acquire("c", 1), "burst " + i);
    }
    long wait = l.acquire("c", 1);
    assertTrue(wait > 0 && wait <= 500_000_000L, "one token comes back in half a second at 2/s: " + wait);
    nanos.addAndGet(wait);
    assertEquals(0, l.acquire("c", 1), "after the advertised wait it passes");
    assertTrue(l.acquire("c", 1) > 0);
    nanos.addAndGet(10_000_000_000L);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, l.acquire("c", 1), "refilled to the burst, not beyond");
    }
    assertTrue(l.acquire("c", 1) > 0);
  }

  @Test
  void clientsHaveTheirOwnBuckets() {
    SubmitLimiter l = new SubmitLimiter(1, 2, nanos::get);
    assertEquals(0, l.acquire("a", 2));
    assertTrue(l.acquire("a", 1) > 0);
    assertEquals(0, l.acquire("b", 1), "another client is not held back by a");
  }

  @Test
  void aBatchCostsOneTokenPerTaskCappedAtTheBurst() {
    SubmitLimiter l = new SubmitLimiter(10, 100, nanos::get);
    assertEquals(0, l.acquire("a", 60));
    long wait = l.acquire("a", 60);
    assertEquals(2_000_000_000L, wait, "20 more tokens at 10/s");
    assertEquals(0, l.acquire("b", 1000), "a batch larger than the burst passes on a full bucket");
    assertTrue(l.acquire("b", 1) > 0);
  }

  @Test
  void theTableIsBounded() {
    SubmitLimiter l = new SubmitLimiter(1, 1, nanos::get);
    for (int i = 0; i < 50_000; i++) {
      l.acquire("client-" + i, 1);
    }
    assertEquals(SubmitLimiter.MAX_CLIENTS, l.clients());
    assertEquals(0, l.acquire("fresh", 1));
  }
}
