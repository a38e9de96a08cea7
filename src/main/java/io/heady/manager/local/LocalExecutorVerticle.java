package io.heady.manager.local;

import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.node.NodeExecutor;
import io.heady.common.node.Reports;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.common.protocol.SystemStats;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cloud executor node inside the manager: registers it (location {@code cloud}), heartbeats it, and
 * holds its {@link NodeExecutor}, the same protocol core an agent holds, so it answers every dispatch, cancel
 * and probe as an agent does (a duplicate is 409) and reports starts and results as an agent does: batched, each
 * result sent again until the scheduler settles it. The manager reaches it by direct calls
 * ({@code LocalTransport}), never over the event bus, so no other cluster member can receive what is meant for
 * it; its reports go straight to the scheduler.
 */
public final class LocalExecutorVerticle extends VerticleBase {
  public static final String NODE_ID = "local";
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutorVerticle.class);

  private final SchedulerVerticle scheduler;
  private final ProcessRunner runner;
  private final TaskSlots.Settings slotSettings;
  private final HardwareProbe probe;
  private final Hardware hardware;
  private final int slots;
  private final long heartbeatMs;
  private final Clock clock;
  private volatile NodeExecutor core;
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
    Reports reports = new Reports(NODE_ID);
    NodeExecutor c = NodeExecutor.create(NODE_ID, slots, runner, slotSettings, reports, clock);
    // why: the scheduler answers a report as it answers an agent's, so the same outbox settles each result
    reports.attach(vertx, json -> scheduler.report(Report.fromJson(json)));
    core = c;
    byte[] key = secretsKey;
    c.slots().secrets(key == null ? io.heady.common.exec.SecretOpener.NONE
        : io.heady.common.exec.SecretOpener.withKey(() -> key));
    vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    Registration reg = new Registration(NODE_ID, NODE_ID, "eventbus", null, hardware,
        probe.capabilities(hardware), Map.of(), slots, null, List.of(), io.heady.common.Version.VERSION,
        c.slots().containment());
    return scheduler.register(reg, true).compose(j -> scheduler.heartbeat(new Heartbeat(NODE_ID, 0, List.of(),
        SystemStats.EMPTY, Map.of()))).mapEmpty();
  }

  /** The local node's protocol core, as the manager's {@code LocalTransport} calls it. */
  public NodeExecutor core() {
    NodeExecutor c = core;
    if (c == null) {
      throw new IllegalStateException("the local executor is not running");
    }
    return c;
  }

  /** The tasks running here now (their logs are not to be swept). */
  public List<String> runningIds() {
    return core().slots().runningIds();
  }

  /** A slice of a task's full log, read on a worker thread; fails with 404 when there is none. */
  public Future<io.vertx.core.json.JsonObject> readLog(String taskId, long offset, int max) {
    return core().readLog(vertx, taskId, offset, max);
  }

  private void heartbeat() {
    // why: OSHI and the /proc walk for task progress block; never on the event loop
    vertx.executeBlocking(() -> core().heartbeat(probe.sample(), null))
        .compose(scheduler::heartbeat)
        .onFailure(e -> LOG.warn("local executor heartbeat failed: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    NodeExecutor c = core;
    if (c != null) {
      c.slots().close();
      c.slots().cancelAll();
      c.reports().detach();
    }
    return Future.succeededFuture();
  }
}
