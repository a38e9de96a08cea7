package io.heady.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.common.http.ConnectionRules.Action;
import io.heady.common.http.ConnectionRules.Seen;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The timeouts as a table: what the gate does with a connection, given what it saw and the time. */
class ConnectionRulesTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final HttpLimits limits = new HttpLimits(1 << 20, 8192, Duration.ofSeconds(10), Duration.ofSeconds(90),
      Duration.ofSeconds(60), 64);
  private final ConnectionRules rules = new ConnectionRules(limits);

  private static Instant at(long sec) {
    return T0.plusSeconds(sec);
  }

  @Test
  void everyCase() {
    Object[][] cases = {
        // opened, head, bodyPending, responding, idleSince, now → action
        {at(0), null, false, false, null, at(9), Action.KEEP},                  // still within the head timeout
        {at(0), null, false, false, null, at(10), Action.CLOSE_NO_HEAD},        // half-open: no head in 10 s
        {at(0), at(1), true, false, null, at(60), Action.KEEP},                 // a body on its way, 59 s
        {at(0), at(1), true, false, null, at(61), Action.CLOSE_SLOW_BODY},      // a body that never ends
        {at(0), at(1), true, true, null, at(61), Action.CLOSE_SLOW_BODY},       // even while answering
        {at(0), at(1), false, true, null, at(100_000), Action.KEEP},            // a long stream is not idle
        {at(0), at(1), false, false, null, at(2), Action.START_IDLE},           // answered: idle from now
        {at(0), at(1), false, false, at(2), at(91), Action.KEEP},               // keep-alive, 89 s idle
        {at(0), at(1), false, false, at(2), at(92), Action.CLOSE_IDLE},         // keep-alive, 90 s idle
    };
    for (Object[] c : cases) {
      Seen s = new Seen((Instant) c[0], (Instant) c[1], (Boolean) c[2], (Boolean) c[3], (Instant) c[4]);
      assertEquals(c[6], rules.decide(s, (Instant) c[5]), s + " at " + c[5]);
    }
  }

  @Test
  void theSweepIsATenthOfTheShortestTimeoutWithinBounds() {
    assertEquals(Duration.ofSeconds(1), limits.sweepPeriod());
    HttpLimits shortOnes = new HttpLimits(4096, 64, Duration.ofMillis(300), Duration.ofMillis(500),
        Duration.ofMillis(700), 3);
    assertEquals(Duration.ofMillis(50), shortOnes.sweepPeriod());
  }

  @Test
  void addressCountsCapEachAddressAndForgetClosedOnes() {
    AddressCounts counts = new AddressCounts(2);
    assertEquals(true, counts.tryAcquire("10.0.0.1"));
    assertEquals(true, counts.tryAcquire("10.0.0.1"));
    assertEquals(false, counts.tryAcquire("10.0.0.1"), "the third connection of one address");
    assertEquals(true, counts.tryAcquire("10.0.0.2"), "another address is not affected");
    counts.release("10.0.0.1");
    assertEquals(true, counts.tryAcquire("10.0.0.1"), "a closed connection frees its place");
    counts.release("10.0.0.1");
    counts.release("10.0.0.1");
    counts.release("10.0.0.2");
    assertEquals(0, counts.addresses(), "nothing is kept for addresses without connections");
  }

  @Test
  void badLimitsAreRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HttpLimits(10, 20,
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HttpLimits(10, 5,
        Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HttpLimits(10, 5,
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
  }
}
