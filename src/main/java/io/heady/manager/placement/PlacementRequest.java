package io.heady.manager.placement;

import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Requirements;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeResolver;
import java.util.Collection;
import java.util.Set;

/**
 * What placement needs to know of one task.
 *
 * @param pin a node id or name the task must run on, or {@code null}
 * @param allowCloud whether the local (cloud) executor may take a physical-type task (the failover pass)
 * @param avoid nodes that just refused or lost this task, tried last
 * @param pinned what the pin names among the nodes of this placement ({@link NodeResolver}); {@code null} until
 *     {@link #pinnedAmong} resolved it
 * @param quick whether the task may wait on a full node in its prefetch ({@link #quick(TaskType, long)})
 */
public record PlacementRequest(String taskId, TaskType type, Priority priority, boolean critical,
    Requirements requires, String pin, boolean allowCloud, Set<String> avoid, NodeResolver.Resolution pinned,
    boolean quick) {

  /** The longest estimated duration of a task that counts as quick. */
  public static final long QUICK_MS = 1000;

  /** A request whose pin is not resolved yet. */
  public PlacementRequest(String taskId, TaskType type, Priority priority, boolean critical, Requirements requires,
      String pin, boolean allowCloud, Set<String> avoid) {
    this(taskId, type, priority, critical, requires, pin, allowCloud, avoid, null, false);
  }

  /** A request whose pin is not resolved yet, quick or not. */
  public PlacementRequest(String taskId, TaskType type, Priority priority, boolean critical, Requirements requires,
      String pin, boolean allowCloud, Set<String> avoid, boolean quick) {
    this(taskId, type, priority, critical, requires, pin, allowCloud, avoid, null, quick);
  }

  /**
   * Whether a task is quick: its type runs no process, or its submitter estimated it at {@link #QUICK_MS} or less.
   */
  // why: a task waiting in a node's prefetch waits for the tasks ahead of it, so only tasks known to be short may
  // wait there; the spec says so only through its type (noop) or its estimated_duration_ms, so an unknown task is
  // never quick and waits in the manager's queue, where any node that frees first can take it
  public static boolean quick(TaskType type, long estimatedDurationMs) {
    return type.noop() || (estimatedDurationMs > 0 && estimatedDurationMs <= QUICK_MS);
  }

  public SpeedMode speed() {
    return SpeedMode.of(priority, critical);
  }

  public PlacementRequest withCloud() {
    return new PlacementRequest(taskId, type, priority, critical, requires, pin, true, avoid, pinned, quick);
  }

  /** This request as a task that may not wait in a node's prefetch. */
  public PlacementRequest withoutPrefetch() {
    return quick ? new PlacementRequest(taskId, type, priority, critical, requires, pin, allowCloud, avoid, pinned,
        false) : this;
  }

  /** This request with its pin resolved among {@code nodes} (itself when it has no pin). */
  public PlacementRequest pinnedAmong(Collection<NodeRecord> nodes) {
    if (pin == null) {
      return this;
    }
    return new PlacementRequest(taskId, type, priority, critical, requires, pin, allowCloud, avoid,
        NodeResolver.resolve(pin, nodes), quick);
  }

  /** Tasks with the same signature place the same way; a pass that fails one skips the rest. */
  public Object signature() {
    return java.util.List.of(type.name(), priority, critical, requires, pin == null ? "" : pin, avoid, quick);
  }
}
