package io.heady.common.hardware;

import java.time.Duration;

/**
 * How long each external probe may take. They run in parallel, so detection as a whole takes about the
 * longest of them even when one hangs.
 *
 * @param grace extra time to wait for a probe beyond its own timeout before giving up on it (a probe that
 *     ignores its timeout must not hold detection hostage)
 */
record ProbeTimeouts(Duration uname, Duration nvidiaSmi, Duration docker, Duration grace) {
  /** why: docker gets 3 s (a slow daemon is still a daemon); nvidia-smi usually answers in well under 1 s. */
  static final ProbeTimeouts DEFAULT =
      new ProbeTimeouts(Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(3),
          Duration.ofMillis(250));
}
