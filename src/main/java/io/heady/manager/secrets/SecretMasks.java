package io.heady.manager.secrets;

import io.heady.common.exec.SecretMask;
import io.heady.common.protocol.Completion;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The manager's own masking of what it keeps of an attempt's output, on top of the node's: the values sealed into
 * each attempt are remembered (in memory, by lease) until the attempt's result is recorded, and every secret value in
 * that result (its output, its error) is replaced by {@value SecretMask#MASK} before the scheduler records it. A
 * node that failed to mask (a bug, an older agent) still leaks nothing into the store or the API. Bounded: the
 * oldest entries go first when attempts never report.
 */
public final class SecretMasks {
  static final int MAX_ATTEMPTS = 10_000;
  private final Map<String, SecretMask> byLease = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SecretMask> eldest) {
      return size() > MAX_ATTEMPTS;
    }
  };

  /** The values given to the attempt of lease {@code leaseId}. */
  public synchronized void remember(String leaseId, Collection<String> values) {
    SecretMask m = SecretMask.of(values);
    if (!m.none()) {
      byLease.put(leaseId, m);
    }
  }

  /** How many attempts' values are held now. */
  public synchronized int size() {
    return byLease.size();
  }

  /** The attempt's result is recorded; its values are forgotten. */
  public synchronized void forget(String leaseId) {
    byLease.remove(leaseId);
  }

  /**
   * The result with its attempt's secret values masked (kept until {@link #forget}: a result the store did not take
   * comes again). A result of an attempt without secrets passes as it is.
   */
  public Completion mask(Completion c) {
    SecretMask m;
    synchronized (this) {
      m = byLease.get(c.leaseId());
    }
    if (m == null) {
      return c;
    }
    return new Completion(c.taskId(), c.nodeId(), c.leaseId(), c.status(), c.exitCode(), c.durationMs(),
        m.mask(c.stdout()), m.mask(c.stderr()), c.outputTruncated(), m.mask(c.error()), c.reason(), c.usage(),
        c.enforcement(), c.outputBytes());
  }
}
