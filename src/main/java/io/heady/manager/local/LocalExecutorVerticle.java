package io.heady.manager.local;

import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SignedBus;
import io.heady.common.protocol.Signer;
import io.heady.common.protocol.SystemStats;
import io.heady.common.protocol.TaskProgress;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cloud executor node inside the manager: registers it (location {@code cloud}), heartbeats it,
 * and runs what is dispatched to it with the same slot logic as an agent.
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
  private final Signer signer;
  private TaskSlots tasks;

  public LocalExecutorVerticle(SchedulerVerticle scheduler, ProcessRunner runner, TaskSlots.Settings slotSettings,
      HardwareProbe probe, Hardware hardware, int slots, long heartbeatMs, Clock clock, Signer signer) {
    this.signer = signer;
    this.probe = probe;
    this.scheduler = scheduler;
    this.runner = runner;
    this.slotSettings = slotSettings;
    this.hardware = hardware;
    this.slots = slots;
    this.heartbeatMs = heartbeatMs;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    tasks = new TaskSlots(NODE_ID, slots, runner, slotSettings, new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch d) {
        scheduler.call((s, now) -> {
          s.started(d.taskId(), d.leaseId(), now);
          return null;
        });
      }

      @Override
      public void finished(Completion c) {
        scheduler.complete(c).onFailure(e -> LOG.warn("local result of {} refused: {}", c.taskId(), e.getMessage()));
      }
    }, clock);
    var bus = vertx.eventBus();
    SignedBus.consumer(bus, true, Addresses.nodeDispatch(NODE_ID), signer, body -> {
      Dispatch d = Dispatch.fromJson(body);
      return switch (tasks.accept(d)) {
        case ACCEPTED, DUPLICATE -> Future.succeededFuture(new JsonObject().put("accepted", true));
        case FULL -> Future.failedFuture(new SignedBus.StatusException(429, "node full"));
        case CLOSED -> Future.failedFuture(new SignedBus.StatusException(503, "node shutting down"));
      };
    });
    SignedBus.consumer(bus, true, Addresses.nodeDispatchBatch(NODE_ID), signer,
        body -> Future.succeededFuture(tasks.admitBatch(body)));
    SignedBus.consumer(bus, true, Addresses.nodeCancel(NODE_ID), signer, b -> Future.succeededFuture(
        new JsonObject().put("cancelled", tasks.cancel(b.getString("task_id"), b.getString("lease_id")))));
    SignedBus.consumer(bus, true, Addresses.nodeLog(NODE_ID), signer, b -> vertx.executeBlocking(() ->
        io.heady.common.exec.LogReader.read(slotSettings.logDir(), b.getString("task_id", ""),
            b.getLong("offset", 0L), b.getInteger("max", 65536))).compose(j -> j != null ? Future.succeededFuture(j)
            : Future.failedFuture(new SignedBus.StatusException(404, "no log for that task on this node"))));
    vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    Registration reg = new Registration(NODE_ID, NODE_ID, "eventbus", null, hardware,
        probe.capabilities(hardware), Map.of(), slots,
        null, List.of(), io.heady.common.Version.VERSION);
    // why: nothing runs yet, so there is no progress to measure
    return scheduler.register(reg, true).compose(j -> scheduler.heartbeat(beat(Map.of()))).mapEmpty();
  }

  private Heartbeat beat(Map<String, TaskProgress> progress) {
    return new Heartbeat(NODE_ID, tasks.running(), tasks.runningIds(), stats, progress);
  }

  private void heartbeat() {
    // why: the probe and the progress of running tasks (/proc, progress files) block; both run on a worker
    vertx.executeBlocking(probe::sample).onSuccess(s -> stats = s)
        .transform(x -> vertx.executeBlocking(tasks::progress))
        .onComplete(p -> scheduler.heartbeat(beat(p.succeeded() ? p.result() : Map.of()))
            .onFailure(e -> LOG.warn("local executor heartbeat failed: {}", e.getMessage())));
  }

  @Override
  public Future<?> stop() {
    tasks.close();
    tasks.cancelAll();
    return Future.succeededFuture();
  }
}
