package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus's coalescing decisions with a moved clock: what goes at once, what is merged, and when. */
class BusCoalescerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final BusCoalescer<Integer> c = new BusCoalescer<>(Duration.ofMillis(20));

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  @Test
  void aBatchAfterAQuietWindowGoesAtOnce() {
    assertEquals(List.of(1, 2), c.offer(List.of(1, 2), at(0)));
    assertNull(c.dueAt());
    assertEquals(List.of(3), c.offer(List.of(3), at(20)), "20 ms after the last message is quiet");
    assertEquals(List.of(4), c.offer(List.of(4), at(500)));
    assertNull(c.dueAt());
  }

  @Test
  void aBurstWithinTheWindowIsOneMessageInOrderWhenTheWindowEnds() {
    assertEquals(List.of(1), c.offer(List.of(1), at(0)));
    assertEquals(List.of(), c.offer(List.of(2, 3), at(1)));
    assertEquals(List.of(), c.offer(List.of(4), at(5)));
    assertEquals(List.of(), c.offer(List.of(5), at(19)));
    assertEquals(at(20), c.dueAt());
    assertEquals(List.of(), c.due(at(19)), "not before the window ends");
    assertEquals(List.of(2, 3, 4, 5), c.due(at(20)));
    assertNull(c.dueAt());
    assertEquals(List.of(), c.due(at(100)), "nothing is sent twice");
  }

  @Test
  void aBatchAfterTheWindowWaitsBehindHeldOnesSoOrderHolds() {
    c.offer(List.of(1), at(0));
    c.offer(List.of(2), at(10));
    // the timer is late: the window ended but 2 is still held; 3 must not overtake it
    assertEquals(List.of(), c.offer(List.of(3), at(30)));
    assertEquals(List.of(2, 3), c.due(at(31)));
  }

  @Test
  void theWindowCountsFromTheLastMessageSoSignaturesAreBounded() {
    List<Integer> sent = new ArrayList<>();
    int messages = 0;
    // a batch every millisecond for one second: at most one message a window (plus the first)
    for (int ms = 0; ms < 1000; ms++) {
      List<Integer> now = new ArrayList<>(c.due(at(ms)));
      if (!now.isEmpty()) {
        messages++;
        sent.addAll(now);
      }
      List<Integer> out = c.offer(List.of(ms), at(ms));
      if (!out.isEmpty()) {
        messages++;
        sent.addAll(out);
      }
    }
    sent.addAll(c.drain());
    assertEquals(1000, sent.size(), "nothing dropped");
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(i, sent.get(i), "in order");
    }
    assertEquals(50, messages, "one message each 20 ms: " + messages);
  }

  @Test
  void drainHandsOverWhatIsHeldAtStop() {
    c.offer(List.of(1), at(0));
    c.offer(List.of(2), at(1));
    c.offer(List.of(3), at(2));
    assertEquals(List.of(2, 3), c.drain());
    assertNull(c.dueAt());
    assertEquals(List.of(), c.drain());
  }

  @Test
  void aZeroWindowSendsEveryBatchAtOnce() {
    BusCoalescer<Integer> none = new BusCoalescer<>(Duration.ZERO);
    assertEquals(List.of(1), none.offer(List.of(1), at(0)));
    assertEquals(List.of(2), none.offer(List.of(2), at(0)));
    assertNull(none.dueAt());
    assertThrows(IllegalArgumentException.class, () -> new BusCoalescer<Integer>(Duration.ofMillis(-1)));
  }
}
