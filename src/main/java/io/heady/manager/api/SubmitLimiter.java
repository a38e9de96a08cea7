package io.heady.manager.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client (its token and address): {@code rate} submissions per second on average, up to
 * {@code burst} at once. Time comes in as nanoseconds from a supplier, so tests move it by hand. The table
 * is bounded: the client idle longest is forgotten first (a forgotten client starts with a full bucket,
 * which is what an idle client would have anyway). Thread-safe.
 */
public final class SubmitLimiter {
  /** Clients remembered at most. */
  public static final int MAX_CLIENTS = 10_000;

  private static final class Bucket {
    double tokens;
    long at;
  }

  private final double perNano;
  private final double burst;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> e) {
      return size() > MAX_CLIENTS;
    }
  };

  public SubmitLimiter(double ratePerSec, double burst, LongSupplier nanos) {
    if (ratePerSec <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perNano = ratePerSec / 1e9;
    this.burst = burst;
    this.nanos = nanos;
  }

  /**
   * Takes {@code cost} tokens (at most the burst, so a batch larger than the burst can pass when the bucket
   * is full) from the client's bucket. Returns 0 when allowed, else the nanoseconds until it would be.
   */
  public synchronized long acquire(String client, int cost) {
    long now = nanos.getAsLong();
    double need = Math.min(Math.max(1, cost), burst);
    Bucket b = buckets.get(client);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.at = now;
      buckets.put(client, b);
    } else {
      long elapsed = Math.max(0, now - b.at);
      b.tokens = Math.min(burst, b.tokens + elapsed * perNano);
      b.at = now;
    }
    // why: the epsilon absorbs floating-point dust, so waiting exactly the advertised time always passes
    if (b.tokens >= need - 1e-6) {
      b.tokens = Math.max(0, b.tokens - need);
      return 0;
    }
    return (long) Math.ceil((need - b.tokens) / perNano);
  }

  /** How many clients are remembered now. */
  public synchronized int clients() {
    return buckets.size();
  }
}
