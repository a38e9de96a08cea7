package io.heady.manager.scheduler;

import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Records what the scheduler decides, in order, for tests to read. */
final class RecordingSink implements SchedulerSink {
  /** One dispatch: the node it went to and the message. */
  record Sent(String nodeId, Dispatch dispatch) {
    String taskId() {
      return dispatch.taskId();
    }

    String leaseId() {
      return dispatch.leaseId();
    }
  }

  /** One cancel request. */
  record Cancel(String nodeId, String taskId, String leaseId) {}

  /** One published event. */
  record Event(String type, JsonObject data) {}

  final List<Sent> dispatches = new ArrayList<>();
  final List<Cancel> cancels = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final List<String> probes = new ArrayList<>();
  final List<String> taskWrites = new ArrayList<>();
  final List<String> nodeWrites = new ArrayList<>();
  final List<String> removed = new ArrayList<>();

  @Override
  public void dispatch(NodeRecord node, Dispatch dispatch) {
    dispatches.add(new Sent(node.nodeId(), dispatch));
  }

  @Override
  public void cancel(NodeRecord node, String taskId, String leaseId) {
    cancels.add(new Cancel(node.nodeId(), taskId, leaseId));
  }

  @Override
  public void probe(NodeRecord node) {
    probes.add(node.nodeId());
  }

  @Override
  public void event(String type, JsonObject data) {
    events.add(new Event(type, data.copy()));
  }

  @Override
  public void taskChanged(TaskRecord task) {
    taskWrites.add(task.id() + ":" + task.state().wire());
  }

  @Override
  public void nodeChanged(NodeRecord node) {
    nodeWrites.add(node.nodeId() + ":" + node.status().wire());
  }

  @Override
  public void nodeRemoved(String nodeId) {
    removed.add(nodeId);
  }

  Sent last() {
    return dispatches.get(dispatches.size() - 1);
  }

  Sent dispatchOf(String taskId) {
    Sent found = null;
    for (Sent s : dispatches) {
      if (s.taskId().equals(taskId)) {
        found = s;
      }
    }
    if (found == null) {
      throw new AssertionError("task " + taskId + " was never dispatched");
    }
    return found;
  }

  List<String> dispatchedTaskIds() {
    return dispatches.stream().map(Sent::taskId).toList();
  }

  List<String> eventTypes() {
    return events.stream().map(Event::type).toList();
  }
}
