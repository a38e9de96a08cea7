package io.heady.common.node;

import io.heady.common.exec.LogReader;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Refusal;
import io.heady.common.protocol.SignedBus;
import io.heady.common.protocol.SystemStats;
import io.heady.common.protocol.TaskProgress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the agent protocol, one core for every executor: the agent (behind its event-bus consumers
 * and its node API) and the manager's local executor (behind the manager's direct calls) hold one each, so
 * they answer the same operations the same way. It takes dispatches into the node's {@link TaskSlots} (the
 * node's own hard limit), cancels, reads logs, says what the node holds, and sends what happened to its
 * tasks through its {@link Reports} (batched, resent until the manager settles each result).
 *
 * <p>Transports only decode and encode: what a dispatch is answered ({@link DispatchAnswer}), what a cancel
 * or a health probe says, is decided here.
 */
public final class NodeExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(NodeExecutor.class);
  /** The error a log read fails with when the node has no log for that task. */
  public static final String NO_LOG = "no log for that task on this node";

  private final String nodeId;
  private final TaskSlots slots;
  private final Reports reports;
  private final Path logDir;

  /**
   * @param slots the node's task slots; what happens to the tasks they run should go to {@code reports}
   *     (see {@link #create})
   * @param logDir where the slots keep each task's full log ({@code null}: none)
   */
  public NodeExecutor(String nodeId, TaskSlots slots, Reports reports, Path logDir) {
    this.nodeId = nodeId;
    this.slots = slots;
    this.reports = reports;
    this.logDir = logDir;
  }

  /** An executor whose slots report every start and result through {@code reports}. */
  public static NodeExecutor create(String nodeId, int limit, ProcessRunner runner, TaskSlots.Settings settings,
      Reports reports, Clock clock) {
    TaskSlots slots = new TaskSlots(nodeId, limit, runner, settings, reporter(reports), clock);
    return new NodeExecutor(nodeId, slots, reports, settings.logDir());
  }

  /** What task slots tell a node's reports: each start, and each result. */
  public static TaskSlots.Reporter reporter(Reports reports) {
    return new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch d) {
        reports.started(d.taskId(), d.leaseId());
      }

      @Override
      public void finished(Completion c) {
        reports.submit(c);
      }
    };
  }

  public String nodeId() {
    return nodeId;
  }

  // ---- dispatch, cancel ---------------------------------------------------------------------------------

  /** Admits one dispatch ({@code Dispatch} as JSON). */
  public DispatchAnswer admit(JsonObject body) {
    Dispatch d;
    try {
      d = Dispatch.fromJson(body);
    } catch (RuntimeException e) {
      return DispatchAnswer.invalid(body);
    }
    return DispatchAnswer.of(TaskSlots.status(slots.accept(d)));
  }

  /**
   * Admits a batch, {@code {dispatches: [...]}}, in order; answers {@code {results: [{task_id, status}]}}
   * with each one's {@link DispatchAnswer#status()}.
   */
  public JsonObject admitBatch(JsonObject body) {
    return slots.admitBatch(body);
  }

  /** Stops an attempt's whole process tree; false when this node does not run it under that lease. */
  public boolean cancel(String taskId, String leaseId) {
    return slots.cancel(taskId, leaseId);
  }

  /** The answer to a cancel: {@code {cancelled}}. */
  public JsonObject cancelAnswer(String taskId, String leaseId) {
    return new JsonObject().put("cancelled", cancel(taskId, leaseId));
  }

  // ---- what the node holds -------------------------------------------------------------------------------

  /**
   * Running and queued (prefetched) tasks plus results not yet settled by the manager: what heartbeats and probes
   * say the node holds, so the manager does not take a finished task whose result is still on its way, or one
   * waiting for a slot, for a lost one.
   */
  public List<String> heldTaskIds() {
    Set<String> ids = new LinkedHashSet<>(slots.runningIds());
    ids.addAll(slots.queuedIds());
    ids.addAll(reports.pendingIds());
    return List.copyOf(ids);
  }

  /**
   * What every executor's health answer says about its tasks: {@code node_id, running, running_task_ids,
   * max_concurrent, prefetched, prefetch, pending_reports}. The manager's probes read {@code running_task_ids}.
   */
  public JsonObject health() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("running", slots.running())
        .put("running_task_ids", new JsonArray(heldTaskIds()))
        .put("max_concurrent", slots.limit())
        .put("prefetched", slots.queued())
        .put("prefetch", slots.prefetch())
        .put("pending_reports", reports.size());
  }

  /** {@code GET /api/node/tasks}: what runs here now. */
  public JsonObject tasks() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("running", slots.running())
        .put("max_concurrent", slots.limit())
        .put("tasks", slots.snapshot())
        .put("prefetched_task_ids", new JsonArray(slots.queuedIds()))
        .put("pending_reports", reports.size());
  }

  /**
   * A heartbeat: the node's load, what it holds, and each running task's progress. Blocking (progress reads
   * {@code /proc} and the tasks' progress files): call it on a worker thread.
   *
   * @param refusing why the node takes no new work now, or {@code null}
   */
  public Heartbeat heartbeat(SystemStats stats, Refusal refusing) {
    Map<String, TaskProgress> progress;
    try {
      progress = slots.progress();
    } catch (RuntimeException e) {
      // why: a heartbeat without progress still proves the node alive; the watchdog waits for the next one
      LOG.debug("cannot measure task progress: {}", e.getMessage());
      progress = Map.of();
    }
    return new Heartbeat(nodeId, slots.running(), heldTaskIds(), stats, progress, refusing);
  }

  // ---- logs ---------------------------------------------------------------------------------------------

  /**
   * A slice of a task's full log, read on a worker thread; fails with status 404 ({@link #NO_LOG}) when the
   * node has none.
   */
  public Future<JsonObject> readLog(Vertx vertx, String taskId, long offset, int max) {
    return vertx.executeBlocking(() -> logDir == null ? null : LogReader.read(logDir, taskId, offset, max))
        .compose(j -> j != null ? Future.succeededFuture(j)
            : Future.failedFuture(new SignedBus.StatusException(404, NO_LOG)));
  }

  // ---- parts --------------------------------------------------------------------------------------------

  public TaskSlots slots() {
    return slots;
  }

  public Reports reports() {
    return reports;
  }

  public Path logDir() {
    return logDir;
  }
}
