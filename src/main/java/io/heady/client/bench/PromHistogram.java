package io.heady.client.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One unlabelled Prometheus histogram read from a {@code /metrics} text: its cumulative buckets, count and sum.
 * Two readings subtract ({@link #since}), so a run sees only its own observations; quantiles are estimated as
 * Prometheus' {@code histogram_quantile} does (linear within the bucket that holds the rank).
 *
 * @param upper the buckets' upper bounds in seconds, ascending, {@code +Inf} last
 * @param cumulative the observations at or below each bound
 * @param count all observations
 * @param sumSeconds their sum
 */
public record PromHistogram(double[] upper, long[] cumulative, long count, double sumSeconds) {
  /** No observations (a metric the text does not hold). */
  public static final PromHistogram EMPTY = new PromHistogram(new double[0], new long[0], 0, 0);

  /** The histogram {@code name} (without {@code _bucket}) from the exposition text; {@link #EMPTY} if absent. */
  public static PromHistogram parse(String text, String name) {
    if (text == null) {
      return EMPTY;
    }
    Pattern bucket = Pattern.compile("^" + Pattern.quote(name) + "_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$",
        Pattern.MULTILINE);
    Map<Double, Long> buckets = new TreeMap<>();
    Matcher m = bucket.matcher(text);
    while (m.find()) {
      double le = "+Inf".equals(m.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      buckets.put(le, (long) Double.parseDouble(m.group(2)));
    }
    if (buckets.isEmpty()) {
      return EMPTY;
    }
    double[] upper = new double[buckets.size()];
    long[] cum = new long[buckets.size()];
    int i = 0;
    for (Map.Entry<Double, Long> e : buckets.entrySet()) {
      upper[i] = e.getKey();
      cum[i++] = e.getValue();
    }
    return new PromHistogram(upper, cum, (long) value(text, name + "_count"), value(text, name + "_sum"));
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The observations made since {@code before} (an earlier reading of the same histogram). */
  public PromHistogram since(PromHistogram before) {
    if (before.upper.length == 0) {
      return this;
    }
    if (!java.util.Arrays.equals(before.upper, upper)) {
      throw new IllegalArgumentException("the two readings have different buckets");
    }
    long[] cum = new long[cumulative.length];
    for (int i = 0; i < cum.length; i++) {
      cum[i] = cumulative[i] - before.cumulative[i];
    }
    return new PromHistogram(upper, cum, count - before.count, sumSeconds - before.sumSeconds);
  }

  /**
   * The {@code q} quantile (0–1) in seconds, interpolated within its bucket from the bucket's lower bound (0
   * for the first); the highest finite bound when it falls in {@code +Inf}; NaN without observations.
   */
  public double quantile(double q) {
    int n = cumulative.length;
    if (n == 0 || cumulative[n - 1] == 0) {
      return Double.NaN;
    }
    double rank = q * cumulative[n - 1];
    for (int i = 0; i < n; i++) {
      if (cumulative[i] >= rank) {
        if (Double.isInfinite(upper[i])) {
          return i == 0 ? Double.NaN : upper[i - 1];
        }
        double lo = i == 0 ? 0 : upper[i - 1];
        long below = i == 0 ? 0 : cumulative[i - 1];
        long in = cumulative[i] - below;
        return in == 0 ? upper[i] : lo + (upper[i] - lo) * (rank - below) / in;
      }
    }
    return upper[n - 1];
  }

  /** {@code {count, mean, p50, p90, p99}} in milliseconds (three decimals), or {@code {count: 0}}. */
  public JsonObject toJsonMs() {
    JsonObject o = new JsonObject().put("count", count);
    if (count <= 0) {
      return o;
    }
    return o.put("mean", ms(sumSeconds / count)).put("p50", ms(quantile(0.5))).put("p90", ms(quantile(0.9)))
        .put("p99", ms(quantile(0.99)));
  }

  private static double ms(double seconds) {
    return Double.isNaN(seconds) ? -1 : Math.round(seconds * 1e6) / 1000.0;
  }
}
