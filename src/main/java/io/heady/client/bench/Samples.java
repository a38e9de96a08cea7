package io.heady.client.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * Durations in nanoseconds, summarised as nearest-rank percentiles in milliseconds (the same rank rule as
 * the Celery peer's {@code drive.py}, so the two can be put side by side). Not thread-safe.
 */
public final class Samples {
  private long[] values = new long[1024];
  private int size;
  private boolean sorted = true;

  public void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
    sorted = false;
  }

  public int size() {
    return size;
  }

  /** The nearest-rank percentile ({@code p} in 0–100) in nanoseconds; -1 when there are no samples. */
  public long percentileNanos(double p) {
    if (size == 0) {
      return -1;
    }
    sort();
    int k = (int) Math.ceil(p / 100.0 * size) - 1;
    return values[Math.max(0, Math.min(size - 1, k))];
  }

  public long maxNanos() {
    if (size == 0) {
      return -1;
    }
    sort();
    return values[size - 1];
  }

  /** {@code {p50, p90, p99, max}} in milliseconds with two decimals, or nulls without samples. */
  public JsonObject toJson() {
    return new JsonObject().put("p50", ms(percentileNanos(50))).put("p90", ms(percentileNanos(90)))
        .put("p99", ms(percentileNanos(99))).put("max", ms(maxNanos()));
  }

  /** Nanoseconds as milliseconds rounded to two decimals; null for a negative (missing) value. */
  static Double ms(long nanos) {
    return nanos < 0 ? null : Math.round(nanos / 10_000.0) / 100.0;
  }

  private void sort() {
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
  }
}
