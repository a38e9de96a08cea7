package io.heady.common.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one doubling backoff: the waits it gives, in order, and the ones it refuses to be. */
class BackoffTest {
  private static List<Long> waits(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    long w = 0;
    for (int i = 0; i < n; i++) {
      w = b.next(w);
      out.add(w);
    }
    return out;
  }

  @Test
  void doublesFromTheFirstWaitUpToTheCap() {
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L), waits(Backoff.doubling(250, 5000), 7));
    assertEquals(List.of(5L, 10L, 20L, 40L, 50L), waits(Backoff.doubling(5, 50), 5));
    assertEquals(List.of(7L, 7L), waits(Backoff.doubling(7, 7), 2), "first == max: a fixed wait");
  }

  @Test
  void neverOverflows() {
    Backoff b = Backoff.doubling(1, Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, b.next(Long.MAX_VALUE / 2 + 1));
    assertEquals(1L << 20, b.nth(1000), "nth stops doubling after twenty steps");
  }

  @ParameterizedTest(name = "failures {0} -> {1} ms")
  @CsvSource({"1, 1000", "2, 2000", "3, 4000", "6, 32000", "7, 60000", "40, 60000", "0, 1000"})
  void theNthWaitIsTheFirstTimesTwoToTheNMinusOneCapped(int failures, long wait) {
    assertEquals(wait, Backoff.doubling(1000, 60_000).nth(failures));
  }

  @Test
  void aBackoffThatCannotWaitIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(0, 10));
    assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(100, 10));
  }
}
