package io.heady.manager.local;

import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cloud executor node inside the manager: registers it (location {@code cloud}), heartbeats it,
 * and runs what is dispatched to it with the same task slots as an agent, answering the same way (a
 * duplicate is 409). The manager reaches it by direct calls ({@code LocalTransport}), never over the event
 * bus, so no other cluster member can receive what is meant for it.
 */
public final class LocalExecutorVerticle extends VerticleBase {
  public static final String NODE_ID = "local";
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutorVerticle.class);

  private final SchedulerVerticle scheduler;
  private final ProcessRunner runner;
  private final TaskSlots.Settings slotSettings;
  private final HardwareProbe probe;
  private final Hardware hardware;
  private SystemStats stats = SystemStats.EMPTY;
  private final int slots;
  private final long heartbeatMs;
  private final Clock clock;
  private volatile TaskSlots tasks;
  private byte[] secretsKey;

  public LocalExecutorVerticle(SchedulerVerticle scheduler, ProcessRunner runner, TaskSlots.Settings slotSettings,
      HardwareProbe probe, Hardware hardware, int slots, long heartbeatMs, Clock clock) {
    this.probe = probe;
    this.scheduler = scheduler;
    this.runner = runner;
    this.slotSettings = slotSettings;
    this.hardware = hardware;
    this.slots = slots;
    this.heartbeatMs = heartbeatMs;
    this.clock = clock;
  }

  /**
   * The key the manager seals this executor's secrets with (it has no pair key: it is in the manager's process);
   * without one, a task with secrets fails here.
   */
  public LocalExecutorVerticle secrets(byte[] key) {
    this.secretsKey = key == null ? null : key.clone();
    return this;
  }

  @Override
  public Future<?> start() {
    byte[] key = secretsKey;
    tasks = new TaskSlots(NODE_ID, slots, runner, slotSettings, new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch d) {
        scheduler.call((s, now) -> {
          s.started(NODE_ID, d.taskId(), d.leaseId(), now);
          return null;
        });
      }

      @Override
      public void finished(Completion c) {
        scheduler.complete(c).onFailure(e -> LOG.warn("local result of {} refused: {}", c.taskId(), e.getMessage()));
      }
    }, clock).secrets(key == null ? io.heady.common.exec.SecretOpener.NONE
        : io.heady.common.exec.SecretOpener.withKey(() -> key));
    vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    Registration reg = new Registration(NODE_ID, NODE_ID, "eventbus", null, hardware,
        probe.capabilities(hardware), Map.of(), slots, null, List.of(), io.heady.common.Version.VERSION,
        tasks.containment());
    return scheduler.register(reg, true).compose(j -> scheduler.heartbeat(new Heartbeat(NODE_ID, 0, List.of(),
        stats, Map.of()))).mapEmpty();
  }

  private TaskSlots slots() {
    TaskSlots t = tasks;
    if (t == null) {
      throw new IllegalStateException("the local executor is not running");
    }
    return t;
  }

  /** A batch of dispatches, answered per task as an agent answers: 202, 409 duplicate, 429 full, 503 closing. */
  public JsonObject admitBatch(JsonObject body) {
    return slots().admitBatch(body);
  }

  public boolean cancel(String taskId, String leaseId) {
    return slots().cancel(taskId, leaseId);
  }

  /** The tasks running here now. */
  public List<String> runningIds() {
    return slots().runningIds();
  }

  /** What an agent's health probe answers, as far as the local executor has it. */
  public JsonObject health() {
    TaskSlots t = slots();
    return new JsonObject().put("node_id", NODE_ID).put("running", t.running())
        .put("running_task_ids", new JsonArray(t.runningIds())).put("max_concurrent", t.limit());
  }

  /** A slice of a task's full log, read on a worker thread. */
  public Future<JsonObject> readLog(String taskId, long offset, int max) {
    return vertx.executeBlocking(() -> io.heady.common.exec.LogReader.read(slotSettings.logDir(), taskId, offset,
        max)).compose(j -> j != null ? Future.succeededFuture(j)
        : Future.failedFuture(new io.heady.common.protocol.SignedBus.StatusException(404,
            "no log for that task on this node")));
  }

  private void heartbeat() {
    // why: OSHI and the /proc walk for task progress block; never on the event loop
    vertx.executeBlocking(() -> {
      stats = probe.sample();
      TaskSlots t = slots();
      return new Heartbeat(NODE_ID, t.running(), t.runningIds(), stats, t.progress());
    }).compose(scheduler::heartbeat).onFailure(e -> LOG.warn("local executor heartbeat failed: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    TaskSlots t = tasks;
    if (t != null) {
      t.close();
      t.cancelAll();
    }
    return Future.succeededFuture();
  }
}
