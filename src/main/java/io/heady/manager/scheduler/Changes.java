package io.heady.manager.scheduler;

import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one operation of the scheduler changed: the records to write (each once), the nodes removed, and whether
 * a placement pass follows. The scheduler fills it while it applies outcomes and hands it to its sink when the
 * operation ends, so a change is written because it was applied, never because someone remembered to mark it.
 */
final class Changes {
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final Map<String, NodeRecord> nodes = new LinkedHashMap<>();
  private final List<String> removed = new ArrayList<>();
  private boolean place;

  void task(TaskRecord t) {
    tasks.put(t.id(), t);
    place = true;
  }

  void node(NodeRecord n) {
    nodes.put(n.nodeId(), n);
    place = true;
  }

  void removed(String nodeId) {
    nodes.remove(nodeId);
    removed.add(nodeId);
    place = true;
  }

  /** A placement pass follows even though nothing was written (time passed; the watchdog asked). */
  void place() {
    place = true;
  }

  /** Whether anything changed that a placement pass should see. */
  boolean placing() {
    return place;
  }

  /** Hands the writes to the sink (tasks, nodes, then removals) and starts over. */
  void handTo(SchedulerSink sink) {
    tasks.values().forEach(sink::taskChanged);
    nodes.values().forEach(sink::nodeChanged);
    removed.forEach(sink::nodeRemoved);
    tasks.clear();
    nodes.clear();
    removed.clear();
    place = false;
  }
}
