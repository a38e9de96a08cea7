package io.heady.manager.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The forms a list's since and until take. */
class TimeParamTest {
  private static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");

  @Test
  void spansCountBackFromNow() {
    assertEquals(NOW.minusSeconds(90), TimeParam.parse("90s", NOW));
    assertEquals(NOW.minusSeconds(15 * 60), TimeParam.parse("15m", NOW));
    assertEquals(NOW.minusSeconds(3600), TimeParam.parse("1h", NOW));
    assertEquals(NOW.minusSeconds(5400), TimeParam.parse("1h30m", NOW));
    assertEquals(NOW.minusSeconds(2 * 86_400), TimeParam.parse("2d", NOW));
    assertEquals(NOW.minusSeconds(7 * 86_400 + 3600), TimeParam.parse("1w1h", NOW));
    assertEquals(NOW, TimeParam.parse("0s", NOW));
  }

  @Test
  void timesAndDatesAreAbsolute() {
    assertEquals(Instant.parse("2026-12-07T10:00:00Z"), TimeParam.parse("2026-12-07T10:00:00Z", NOW));
    assertEquals(Instant.parse("2026-12-07T08:00:00Z"), TimeParam.parse("2026-12-07T10:00:00+02:00", NOW));
    assertEquals(Instant.parse("2026-12-07T10:00:00.250Z"), TimeParam.parse("2026-12-07T10:00:00.25Z", NOW));
    assertEquals(Instant.parse("2026-12-01T00:00:00Z"), TimeParam.parse("2026-12-01", NOW), "midnight UTC");
  }

  @Test
  void anythingElseIsRefusedSayingWhatIsTaken() {
    for (String bad : new String[] {"", " ", "1", "h", "1x", "-1h", "1h-", "m1", "yesterday", "2026-13-01",
        "2026-12-07 10:00", "2026-12-07T10:00:00", "1".repeat(41), "1m1h"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeParam.parse(bad, NOW), bad);
      assertTrue(e.getMessage().contains("ISO-8601") && e.getMessage().contains("1h30m"), e.getMessage());
    }
  }
}
