package io.heady.common.http;

import io.heady.common.config.Config;
import io.heady.common.config.Keys;
import java.time.Duration;

/**
 * What one HTTP server lets a client spend.
 *
 * @param maxBodyBytes the largest body a caller with a valid credential may send ({@code --max-body-kb})
 * @param anonymousBodyBytes the largest body a caller without one may send: enough for an error, no more
 * @param headTimeout a new connection must send a whole request head within this
 * @param idleTimeout a keep-alive connection with no request in progress is closed after this
 * @param bodyTimeout a request's body must have arrived this long after its head
 * @param maxConnectionsPerAddress open connections one client address may hold; more are closed at once
 */
public record HttpLimits(long maxBodyBytes, long anonymousBodyBytes, Duration headTimeout, Duration idleTimeout,
    Duration bodyTimeout, int maxConnectionsPerAddress) {
  /** The body limit for callers without a valid credential. */
  public static final long ANONYMOUS_BODY_BYTES = 8 * 1024;

  public HttpLimits {
    if (maxBodyBytes < 1 || anonymousBodyBytes < 0 || anonymousBodyBytes > maxBodyBytes) {
      throw new IllegalArgumentException("body limits must satisfy 0 <= anonymous <= max, max >= 1");
    }
    if (headTimeout.isNegative() || headTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
        || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP timeouts must be positive");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("max connections per address must be at least 1");
    }
  }

  /** The defaults of {@code --help} with the given body limit. */
  public static HttpLimits defaults(long maxBodyBytes) {
    return fromConfig(Config.defaults("manager")).withMaxBody(maxBodyBytes);
  }

  /** From {@code --max-body-kb}, {@code --http-*-timeout-sec} and {@code --max-connections-per-address}. */
  public static HttpLimits fromConfig(Config cfg) {
    long max = cfg.longValue(Keys.MAX_BODY_KB) * 1024;
    return new HttpLimits(max, Math.min(ANONYMOUS_BODY_BYTES, max),
        Duration.ofSeconds(cfg.longValue(Keys.HTTP_HEAD_TIMEOUT_SEC)),
        Duration.ofSeconds(cfg.longValue(Keys.HTTP_IDLE_TIMEOUT_SEC)),
        Duration.ofSeconds(cfg.longValue(Keys.HTTP_BODY_TIMEOUT_SEC)),
        cfg.integer(Keys.MAX_CONNECTIONS_PER_ADDRESS));
  }

  /** The same limits with another body limit for callers with a credential. */
  public HttpLimits withMaxBody(long bytes) {
    return new HttpLimits(bytes, Math.min(anonymousBodyBytes, bytes), headTimeout, idleTimeout, bodyTimeout,
        maxConnectionsPerAddress);
  }

  /**
   * How often the connections are looked at: a tenth of the shortest timeout, from 50 ms to 1 s, so a
   * timeout is kept to within about a tenth of itself.
   */
  public Duration sweepPeriod() {
    long shortest = Math.min(headTimeout.toMillis(), Math.min(idleTimeout.toMillis(), bodyTimeout.toMillis()));
    return Duration.ofMillis(Math.max(50, Math.min(1000, shortest / 10)));
  }
}
