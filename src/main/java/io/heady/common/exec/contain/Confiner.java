package io.heady.common.exec.contain;

import io.heady.common.protocol.Limits;
import java.io.IOException;

/**
 * How this node confines attempts: one per node, chosen at start by {@link ContainmentProbe}. Makes one
 * {@link Confined} per attempt.
 */
public interface Confiner {
  /** {@code cgroup2}, {@code cgroup1}, {@code rlimit} or {@code none} (the names of {@code Enforcement}). */
  String method();

  /** What an operator should know about this method here (what it cannot do, why a stronger one is not used). */
  String note();

  /**
   * Confines one attempt.
   *
   * @param name the attempt's group name (safe as a directory name)
   * @param limits what the attempt may use
   * @param timeoutMs the attempt's timeout (0: none); process limits turn {@code cpus} into CPU time with it
   * @param sharedUser the task runs as the node's own user, so per-user limits would also count the node's
   * @throws IOException when the group cannot be made: the attempt must not run unconfined
   */
  Confined confine(String name, Limits limits, long timeoutMs, boolean sharedUser) throws IOException;
}
