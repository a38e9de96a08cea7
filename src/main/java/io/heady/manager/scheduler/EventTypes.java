package io.heady.manager.scheduler;

import io.heady.manager.node.NodeStatus;
import io.heady.manager.task.TaskState;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every event type the manager publishes, so a stream that asks for types can be told at once that one does not
 * exist. {@code EventTypesTest} checks that every type written in the manager's code is here.
 */
public final class EventTypes {
  private static final Set<String> KNOWN;

  static {
    Set<String> s = new TreeSet<>(Set.of(
        "task.submitted", "task.dispatched", "task.running", "task.retrying", "task.requeued", "task.unplaceable",
        "task.late_result",
        "node.registered", "node.reregistered", "node.deregistered", "node.reinstated", "node.deleted",
        "node.revoked", "node.recovered", "node.incident", "node.refusing", "node.accepting", "node.bus_unreachable",
        "node.approved", "node.pending_approval", "node.enrolled",
        "watchdog.moving", "watchdog.stagnant", "watchdog.failed", "watchdog.escalated", "watchdog.reassigned",
        "watchdog.queue_stalled",
        "manager.recovered"));
    // why: the ends of a task and a node's status changes are named after the state ("task." + state)
    for (TaskState t : TaskState.values()) {
      if (t.terminal()) {
        s.add("task." + t.wire());
      }
    }
    for (NodeStatus n : NodeStatus.values()) {
      s.add("node." + n.wire());
    }
    KNOWN = Collections.unmodifiableSet(s);
  }

  private EventTypes() {}

  /** The known types, sorted. */
  public static Set<String> known() {
    return KNOWN;
  }
}
