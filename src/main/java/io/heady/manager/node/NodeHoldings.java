package io.heady.manager.node;

import io.heady.manager.task.Attempt;
import io.heady.manager.task.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a node says it holds (its heartbeat's, registration's or probe's list of tasks) against what the manager
 * gave it. Attempts the manager has live on the node that the node no longer lists are missing (lost, after a
 * grace); attempts the node still lists that the manager took back take a slot until the node has stopped them,
 * and the node is asked once per lease to stop them. Plain logic by {@code now}; the scheduler applies it.
 */
public final class NodeHoldings {
  /**
   * The longest a dispatch's delivery takes to be answered: the event bus's request timeout, then the node's
   * HTTP API as the fallback, each with a connect; well above both.
   */
  public static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);

  /** Attempt outcomes that mean the manager took the attempt away while the node may still run it. */
  private static final Set<String> TAKEN_BACK = Set.of("lost", "undelivered", "revoked", "stagnant");

  /** An attempt the node holds that is no longer the manager's: the node is asked to stop it. */
  public record Stop(String taskId, String leaseId) {}

  /** The node's slots as its own list rebuilt them: leases to stop, and whether the view of its slots changed. */
  public record Slots(List<Stop> stop, boolean changed) {
    public static final Slots SAME = new Slots(List.of(), false);
  }

  private NodeHoldings() {}

  /**
   * Since when the node must list an attempt: from when it took the dispatch (or reported it started). A
   * delivery still under way (the bus timing out, then HTTP) is the delivery's to settle, up to
   * {@link #DELIVERY_WAIT}; only a grace after that is a missing attempt the node's fault.
   */
  static Instant heldSince(Attempt a) {
    if (a.deliveredAt() != null) {
      return a.deliveredAt();
    }
    if (a.startedAt() != null) {
      return a.startedAt();
    }
    return a.dispatchedAt().plus(DELIVERY_WAIT);
  }

  /**
   * Tasks the manager has live on the node that the node no longer lists, for longer than {@code grace} past
   * {@link #heldSince}: they leave the node's running set here; their attempts are the caller's to end. The
   * manager's own executor is never asked (it dies with the manager).
   */
  public static List<String> missing(NodeRecord n, List<String> listed, Function<String, TaskRecord> tasks,
      Duration grace, Instant now) {
    if (n.cloud()) {
      return List.of();
    }
    List<String> lost = new ArrayList<>();
    Set<String> held = new HashSet<>(listed);
    for (String taskId : new ArrayList<>(n.running())) {
      TaskRecord t = tasks.apply(taskId);
      Attempt a = t == null ? null : t.currentAttempt();
      if (a != null && !held.contains(taskId) && a.nodeId().equals(n.nodeId())
          && Duration.between(heldSince(a), now).compareTo(grace) > 0) {
        n.running().remove(taskId);
        lost.add(taskId);
      }
    }
    return lost;
  }

  /**
   * Rebuilds the manager's view of the node's slots from its own list: attempts it still holds that the
   * manager took back take a slot until the node has stopped them, and each new one is to be stopped.
   */
  public static Slots resync(NodeRecord n, List<String> listed, Function<String, TaskRecord> tasks) {
    boolean changed = n.fullClaimed();
    n.claimedFull(false);
    Map<String, String> was = new HashMap<>(n.foreign());
    n.foreign().clear();
    List<Stop> stop = new ArrayList<>();
    for (String taskId : listed) {
      if (n.running().contains(taskId)) {
        continue;
      }
      TaskRecord t = tasks.apply(taskId);
      Attempt a = t == null ? null : t.lastAttemptOn(n.nodeId());
      // why: an attempt that ended normally is a result still on its way, not a slot
      if (a == null || a.live() || !TAKEN_BACK.contains(a.outcome())) {
        continue;
      }
      n.foreign().put(taskId, a.leaseId());
      if (!a.leaseId().equals(was.get(taskId))) {
        stop.add(new Stop(taskId, a.leaseId()));
      }
    }
    return new Slots(stop, changed || !was.equals(n.foreign()));
  }
}
