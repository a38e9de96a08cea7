package io.heady.manager.scheduler;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.Policy;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.testing.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A scheduler with the default settings and built-in policy, a recording sink and a clock moved by hand. */
final class Harness {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  final RecordingSink sink = new RecordingSink();
  final Scheduler scheduler;
  Instant now = T0;

  Harness() {
    this(SchedulerSettings.defaults());
  }

  Harness(SchedulerSettings settings) {
    this(settings, Policy.builtIn());
  }

  Harness(SchedulerSettings settings, Policy policy) {
    scheduler = new Scheduler(settings, policy, sink, new SequentialIds());
  }

  Instant at(long seconds) {
    now = T0.plusSeconds(seconds);
    return now;
  }

  Instant advance(Duration d) {
    now = now.plus(d);
    return now;
  }

  /** Registers a physical node and sends its first heartbeat: active and ready. */
  NodeRecord join(NodeBuilder b) {
    Registration r = b.build();
    scheduler.register(r, false, now);
    heartbeat(r.nodeId());
    return node(r.nodeId());
  }

  /** The manager's own (cloud) executor node, active. */
  NodeRecord joinCloud(NodeBuilder b) {
    Registration r = b.build();
    scheduler.register(r, true, now);
    heartbeat(r.nodeId());
    return node(r.nodeId());
  }

  /** A heartbeat that lists exactly what the manager believes the node runs (a healthy agent). */
  void heartbeat(String nodeId) {
    NodeRecord n = node(nodeId);
    scheduler.heartbeat(new Heartbeat(nodeId, n.running().size(), List.copyOf(n.running()), SystemStats.EMPTY),
        now);
  }

  NodeRecord node(String id) {
    return scheduler.nodes().get(id);
  }

  TaskRecord task(String id) {
    return scheduler.tasks().get(id);
  }

  Scheduler.Submitted submit(TaskSpec spec) {
    return scheduler.submit(List.of(spec), false, now).get(0);
  }

  List<Scheduler.Submitted> submitDag(TaskSpec... specs) {
    return scheduler.submit(List.of(specs), true, now);
  }

  /** The nodes took every dispatch sent so far (the transport's answer), now. */
  void delivered() {
    scheduler.dispatchesDelivered(sink.dispatches.stream().map(RecordingSink.Sent::dispatch).toList(), now);
  }

  /** The current attempt of a task reports {@code status} from the node it was sent to. */
  Scheduler.Completed finish(String taskId, String status, int exitCode) {
    RecordingSink.Sent s = sink.dispatchOf(taskId);
    return scheduler.complete(completion(s, status, exitCode), now);
  }

  Scheduler.Completed succeed(String taskId) {
    return finish(taskId, "succeeded", 0);
  }

  static Completion completion(RecordingSink.Sent s, String status, int exitCode) {
    return new Completion(s.taskId(), s.nodeId(), s.leaseId(), status, exitCode, 1500, "out", "", false, null);
  }
}
