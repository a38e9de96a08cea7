package io.heady.manager.scheduler;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Makes task and lease ids: unique across manager restarts (time-prefixed), short, safe in paths. */
public class IdSource {
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong counter = new AtomicLong();
  private final String epoch = Long.toString(System.currentTimeMillis(), 36);

  public String taskId() {
    return "t-" + epoch + "-" + Long.toString(counter.incrementAndGet(), 36);
  }

  public String leaseId() {
    return "l-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
  }

  public String dagId() {
    return "dag-" + epoch + "-" + Long.toString(counter.incrementAndGet(), 36);
  }
}
