package io.heady.client.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people type them ({@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2d}) and read them. */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Duration MAX = Duration.ofDays(30);

  private Durations() {}

  /** Parses a duration; a bare number is seconds. Throws {@link IllegalArgumentException} naming the text. */
  static Duration parse(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("a duration is required, like 90s, 5m, 1h or 500ms");
    }
    if (s.matches("\\d+(\\.\\d+)?")) {
      s = s + "s";
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal millis = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("'" + text + "' is not a duration: use 500ms, 90s, 5m, 1h, 2d or 1h30m");
      }
      BigDecimal n = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      millis = millis.add(n.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
      throw new IllegalArgumentException("'" + text + "' is longer than 30 days");
    }
    return Duration.ofMillis(millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
  }

  /** Short and readable: {@code 850ms}, {@code 12.3s}, {@code 5m02s}, {@code 1h05m}, {@code 2d03h}. */
  static String format(long ms) {
    if (ms < 0) {
      return "-";
    }
    if (ms < 1_000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      long tenths = Math.round(ms / 100.0);
      return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
    }
    long s = ms / 1_000;
    if (s < 3_600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3_600, (s % 3_600) / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3_600);
  }

  /** Lets picocli read {@code --timeout 90s}. */
  static final class Converter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = parse(value);
        if (d.isZero()) {
          throw new CommandLine.TypeConversionException("'" + value + "' must be longer than 0");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
