package io.heady.manager.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a list's {@code since} or {@code until} gives it: an ISO-8601 time ({@code 2026-12-07T22:00:00Z},
 * with any offset), a date (midnight UTC), or a span back from now ({@code 90s}, {@code 15m}, {@code 1h30m},
 * {@code 2d}, {@code 1w}). Pure: the caller gives the time it reads spans from.
 */
final class TimeParam {
  private static final Pattern SPAN = Pattern.compile("(?:(\\d{1,6})w)?(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?"
      + "(?:(\\d{1,9})m)?(?:(\\d{1,10})s)?");
  private static final long[] UNIT_SEC = {7 * 86_400L, 86_400L, 3_600L, 60L, 1L};

  private TimeParam() {}

  /**
   * Reads {@code raw} at {@code now}.
   *
   * @throws IllegalArgumentException saying which forms it takes, when it is none of them
   */
  static Instant parse(String raw, Instant now) {
    String s = raw == null ? "" : raw.trim();
    if (s.isEmpty() || s.length() > 40) {
      throw new IllegalArgumentException(usage());
    }
    Matcher m = SPAN.matcher(s);
    if (m.matches()) {
      long sec = 0;
      for (int i = 0; i < UNIT_SEC.length; i++) {
        if (m.group(i + 1) != null) {
          sec += Long.parseLong(m.group(i + 1)) * UNIT_SEC[i];
        }
      }
      return now.minus(Duration.ofSeconds(sec));
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // not a time with an offset
    }
    try {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(usage());
    }
  }

  private static String usage() {
    return "an ISO-8601 time (2026-12-07T22:00:00Z), a date (2026-12-07, midnight UTC) or a span back from now"
        + " (90s, 15m, 1h30m, 2d, 1w)";
  }
}
