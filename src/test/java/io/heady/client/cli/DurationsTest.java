package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {
  @Test
  void parsesWhatPeopleType() {
    Object[][] cases = {
        {"500ms", Duration.ofMillis(500)},
        {"90s", Duration.ofSeconds(90)},
        {"90", Duration.ofSeconds(90)},
        {"5m", Duration.ofMinutes(5)},
        {"1h", Duration.ofHours(1)},
        {"2d", Duration.ofDays(2)},
        {"1h30m", Duration.ofMinutes(90)},
        {"1m30s", Duration.ofSeconds(90)},
        {"1.5h", Duration.ofMinutes(90)},
        {"0.5s", Duration.ofMillis(500)},
        {" 10S ", Duration.ofSeconds(10)},
        {"2m500ms", Duration.ofMillis(120_500)},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], Durations.parse((String) c[0]), () -> "parse(" + c[0] + ")");
    }
  }

  @Test
  void refusesWhatIsNotADurationNamingIt() {
    for (String bad : new String[] {"", "abc", "5x", "m5", "-5s", "5 m", "1h-", "31d", "1.s"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad),
          () -> "parse(" + bad + ")");
      assertTrue(e.getMessage().contains(bad.strip()) || bad.isBlank(), e.getMessage());
    }
  }

  @Test
  void theOptionConverterRefusesZero() {
    assertThrows(CommandLine.TypeConversionException.class, () -> new Durations.Converter().convert("0s"));
    assertEquals(Duration.ofSeconds(90), new Durations.Converter().convert("90s"));
  }

  @Test
  void formatsShortAndReadable() {
    Object[][] cases = {
        {0L, "0ms"}, {850L, "850ms"}, {1_000L, "1s"}, {12_340L, "12.3s"}, {59_000L, "59s"},
        {62_000L, "1m02s"}, {3_599_000L, "59m59s"}, {3_900_000L, "1h05m"}, {90_000_000L, "1d01h"}, {-1L, "-"},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], Durations.format((Long) c[0]), () -> "format(" + c[0] + ")");
    }
  }
}
