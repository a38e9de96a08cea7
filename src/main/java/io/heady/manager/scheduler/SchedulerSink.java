package io.heady.manager.scheduler;

import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.json.JsonObject;

/**
 * Where the scheduler's decisions leave it: dispatches, cancels, events and writes to the store.
 * Implementations must not call back into the scheduler synchronously (a refused dispatch is reported later,
 * as a new call), because the scheduler may be in the middle of a pass over its queue.
 */
public interface SchedulerSink {
  /** Send one attempt to a node; report the outcome back with {@code dispatchFailed} if it is refused. */
  void dispatch(NodeRecord node, Dispatch dispatch);

  /** Ask a node to stop an attempt (kill its process tree). */
  void cancel(NodeRecord node, String taskId, String leaseId);

  /** Probe a node soon (it became suspect): an answer is proof of life, and tells what it holds. */
  void probe(NodeRecord node);

  /** Publish an event ({@code node.*}, {@code task.*}, {@code watchdog.*}). */
  void event(String type, JsonObject data);

  /** The task changed and must be written to the store. */
  void taskChanged(TaskRecord task);

  /** The node changed and must be written to the store. */
  void nodeChanged(NodeRecord node);

  /** The node was deleted. */
  void nodeRemoved(String nodeId);

  /** A sink that drops everything (tests that only look at state). */
  SchedulerSink NONE = new SchedulerSink() {
    @Override
    public void dispatch(NodeRecord node, Dispatch dispatch) {}

    @Override
    public void cancel(NodeRecord node, String taskId, String leaseId) {}

    @Override
    public void probe(NodeRecord node) {}

    @Override
    public void event(String type, JsonObject data) {}

    @Override
    public void taskChanged(TaskRecord task) {}

    @Override
    public void nodeChanged(NodeRecord node) {}

    @Override
    public void nodeRemoved(String nodeId) {}
  };
}
