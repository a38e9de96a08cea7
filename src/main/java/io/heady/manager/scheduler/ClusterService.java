package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.common.protocol.TaskSpec;
import io.heady.manager.metrics.ClusterSnapshot;
import io.heady.manager.node.NodeLiveness;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeReplies;
import io.heady.manager.store.TaskQuery;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.watchdog.Watchdog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The typed front of the scheduler's loop: everything the HTTP routes, the agents' bus consumers, the agents
 * adapter, the watchdog, the metrics and the manager's local executor ask of the cluster, each answered with a
 * {@link Future}. A change runs as one operation on the loop and completes once what it changed is written; a
 * change people or programs ask for is refused at once (503) while the store is known to be down; on a standby
 * everything is refused with 503 NOT_LEADER, naming the leader.
 */
public final class ClusterService {
  private final SchedulerVerticle loop;
  private final long heartbeatSec;
  private final long ttlSec;
  private volatile Predicate<String> resubscribe = id -> false;

  public ClusterService(SchedulerVerticle loop, SchedulerSettings settings) {
    this.loop = loop;
    this.heartbeatSec = settings.heartbeat().toSeconds();
    this.ttlSec = settings.ttl().toSeconds();
  }

  /** Tells a node in its heartbeat's answer to subscribe its bus addresses again (when this says so). */
  public void resubscribeHint(Predicate<String> r) {
    this.resubscribe = r;
  }

  /** Whether this manager leads (a standby answers 503 NOT_LEADER). */
  public boolean leading() {
    return loop.lease().leading();
  }

  /** The events and the listeners that hear them after each write. */
  public EventJournal journal() {
    return loop.journal();
  }

  /** Runs {@code r} on the scheduler's loop once this manager leads (see {@link SchedulerVerticle#whenLeading}). */
  public void whenLeading(Runnable r) {
    loop.whenLeading(r);
  }

  // ---- the agent protocol: a node speaking for itself ----------------------------------------------------

  /** A node registers (the manager's own executor with {@code local}); the answer says whether it is new. */
  public Future<JsonObject> register(Registration r, boolean local) {
    return loop.call((s, now) -> {
      boolean created = s.register(r, local, now);
      return NodeReplies.registered(s.nodes().get(r.nodeId()), created, heartbeatSec, ttlSec);
    });
  }

  public Future<JsonObject> heartbeat(Heartbeat hb) {
    return loop.call((s, now) -> NodeReplies.heartbeat(s.heartbeat(hb, now), heartbeatSec,
        resubscribe.test(hb.nodeId())));
  }

  public Future<JsonObject> deregister(String nodeId) {
    return loop.call((s, now) -> s.deregister(nodeId, now).toJson().put("deregistered", true));
  }

  public Future<JsonObject> complete(Completion raw) {
    Completion c = loop.secrets().mask(raw);
    return loop.call((s, now) -> {
      Scheduler.Completed r = s.complete(c, now);
      JsonObject out = new JsonObject().put("accepted", r.accepted());
      return r.duplicate() ? out.put("duplicate", true) : out;
    }).andThen(ar -> forgetIfRecorded(c.leaseId(), ar));
  }

  /** A result the store took (or refused for good: a stale lease is recorded as late) needs no more masking. */
  private void forgetIfRecorded(String leaseId, io.vertx.core.AsyncResult<?> ar) {
    if (ar.succeeded() || (ar.cause() instanceof ApiException e && e.code() != ErrorCode.STORE_UNAVAILABLE
        && e.code() != ErrorCode.NOT_LEADER)) {
      loop.secrets().forget(leaseId);
    }
  }

  /**
   * A node's batch: starts, then results, each result answered on its own; one write for all of it. A
   * refused write fails the whole batch (503), and the node sends it again.
   */
  public Future<JsonObject> report(Report r) {
    List<String> seen = new ArrayList<>();
    return loop.call((s, now) -> {
      s.reported(r.nodeId(), now);
      for (Report.Started st : r.started()) {
        s.started(r.nodeId(), st.taskId(), st.leaseId(), now);
      }
      JsonArray out = new JsonArray(new ArrayList<>(r.results().size()));
      for (Completion raw : r.results()) {
        Completion c = loop.secrets().mask(raw);
        try {
          out.add(Report.itemAccepted(c.taskId(), s.complete(c, now).duplicate()));
          seen.add(c.leaseId());
        } catch (ApiException e) {
          out.add(Report.itemRefused(c.taskId(), e));
        }
      }
      return new JsonObject().put("results", out);
    }).andThen(ar -> seen.forEach(l -> forgetIfRecorded(l, ar)));
  }

  /** The node's "running" report of one attempt. */
  public Future<Void> started(String nodeId, String taskId, String leaseId) {
    return loop.call((s, now) -> {
      s.started(nodeId, taskId, leaseId, now);
      return null;
    });
  }

  // ---- the agents adapter: deliveries, probes, membership ------------------------------------------------

  /** The nodes took these dispatches (one operation for the batch). */
  public Future<Void> dispatchesDelivered(List<Dispatch> delivered) {
    return loop.call((s, now) -> {
      s.dispatchesDelivered(delivered, now);
      return null;
    });
  }

  /** A dispatch was not delivered: {@code kind} is how (see {@link Scheduler#dispatchFailed}). */
  public Future<Void> dispatchFailed(String taskId, String leaseId, String why, Undelivered kind) {
    return loop.call((s, now) -> {
      s.dispatchFailed(taskId, leaseId, why, kind, now);
      return null;
    });
  }

  /** A probe answered; {@code listed}, when the answer told it, is what the node holds. */
  public Future<Void> probeAnswered(String nodeId, List<String> listed) {
    return loop.call((s, now) -> {
      s.probeOk(nodeId, listed, now);
      return null;
    });
  }

  public Future<Void> probeFailed(String nodeId) {
    return loop.call((s, now) -> {
      s.probeFailed(nodeId, now);
      return null;
    });
  }

  /** A member of the cluster left (its node, if it had one, is offline and loses its work). */
  public Future<Void> memberLost(String memberId) {
    return loop.call((s, now) -> {
      s.memberLost(memberId, now);
      return null;
    });
  }

  /** The nodes active probes go to ({@link NodeLiveness#probed}). */
  public Future<List<NodeRecord>> probeTargets() {
    return loop.read((s, now) -> s.nodes().all().stream().filter(NodeLiveness::probed).toList());
  }

  /** The node's record, or {@code null}: read it as a snapshot, the loop owns it. */
  public Future<NodeRecord> nodeRecord(String nodeId) {
    return loop.read((s, now) -> s.nodes().get(nodeId));
  }

  /** Publishes an event about something decided outside the scheduler (enrollment, the bus's health). */
  public Future<Void> publish(String type, JsonObject data) {
    return loop.call((s, now) -> {
      s.publish(type, data);
      return null;
    });
  }

  // ---- people and programs: refused while the store is down ----------------------------------------------

  /**
   * A submission, acknowledged only once durable: validated on the scheduler's loop, written to the store,
   * and only then made the scheduler's. A refused write leaves nothing behind (503, nothing runs). The answer is
   * {@link ClusterViews#submitted}.
   */
  public Future<JsonObject> submit(List<TaskSpec> specs, boolean batch) {
    return loop.health().gate("submitted").compose(v -> loop.read((s, now) -> s.prepare(specs, batch, now)))
        .compose(p -> p.createsNothing() ? Future.succeededFuture(p.existing())
            : loop.writeAhead(p.documents()).compose(w -> loop.call((s, now) -> s.commit(p, now))))
        .compose(out -> loop.read((s, now) -> ClusterViews.submitted(s, out, batch, now)));
  }

  public Future<JsonObject> cancel(String taskId) {
    return change((s, now) -> s.cancel(taskId, now).toJson());
  }

  public Future<JsonObject> drain(String nodeId, boolean on) {
    return change((s, now) -> s.drain(nodeId, on, now).toJson());
  }

  public Future<JsonObject> reinstate(String nodeId) {
    return change((s, now) -> s.reinstate(nodeId, now).toJson());
  }

  public Future<JsonObject> deleteNode(String nodeId) {
    return change((s, now) -> s.deleteNode(nodeId, now).toJson().put("deleted", true));
  }

  /** Takes a revoked node's work back and tells it to stop; its record goes. */
  public Future<Void> revokeNode(String nodeId) {
    return change((s, now) -> {
      s.revokeNode(nodeId, now);
      return null;
    });
  }

  private <T> Future<T> change(SchedulerVerticle.Op<T> op) {
    return loop.health().gate("changed").compose(v -> loop.call(op));
  }

  // ---- the watchdog --------------------------------------------------------------------------------------

  /** One watchdog check on the loop, by its clock. */
  public Future<Void> watch(Watchdog watchdog) {
    return loop.call((s, now) -> {
      watchdog.check(s, now, loop.outbox());
      return null;
    });
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  /** {@code GET /api/cluster/state}. */
  public Future<JsonObject> state() {
    return loop.read((s, now) -> ClusterViews.state(s));
  }

  /** relayq's {@code worker_status()}. */
  public Future<JsonObject> workers() {
    return loop.read((s, now) -> ClusterViews.workers(s));
  }

  /** Every registered node's document. */
  public Future<List<JsonObject>> nodes() {
    return loop.read((s, now) -> s.nodes().all().stream().map(NodeRecord::toJson).toList());
  }

  /** A node's document, or {@code null} when no node has that id. */
  public Future<JsonObject> node(String nodeId) {
    return loop.read((s, now) -> {
      NodeRecord n = s.nodes().get(nodeId);
      return n == null ? null : n.toJson();
    });
  }

  /** A task as {@link ClusterViews#task} shows it, or {@code null} when memory does not hold it. */
  public Future<JsonObject> task(String taskId) {
    return loop.read((s, now) -> ClusterViews.task(s, taskId, now));
  }

  /** {@code GET /api/cluster/dags/:id}. */
  public Future<JsonObject> dag(String dagId) {
    return loop.read((s, now) -> DagView.of(s, dagId));
  }

  /**
   * {@code GET /api/cluster/tasks/:id/explain}: the task's placement explained ({@link TaskExplanation}), or
   * {@code null} when memory does not hold it.
   */
  public Future<JsonObject> explain(String taskId) {
    return loop.read((s, now) -> {
      TaskRecord t = s.tasks().get(taskId);
      return t == null ? null : TaskExplanation.of(s, t, now);
    });
  }

  /** {@code GET /api/cluster/can-handle/:type}. */
  public Future<JsonObject> canHandle(String type, Priority priority) {
    return loop.read((s, now) -> ClusterViews.canHandle(s, type, priority));
  }

  /**
   * A page of the tasks memory holds, as documents in the query's order ({@link TaskBook#page}), and which of
   * {@code storedIds} (tasks a store page listed) memory holds too: memory has the newer state of those.
   */
  public record MemoryPage(List<JsonObject> tasks, Set<String> held) {}

  public Future<MemoryPage> page(TaskQuery q, Collection<String> storedIds) {
    return loop.read((s, now) -> {
      List<JsonObject> docs = new ArrayList<>();
      s.tasks().page(q).forEach(t -> docs.add(ClusterViews.withReason(s, t, now)));
      Set<String> held = new HashSet<>();
      storedIds.stream().filter(id -> s.tasks().get(id) != null).forEach(held::add);
      return new MemoryPage(docs, held);
    });
  }

  /**
   * Where a task's log is: its node (or {@code null} before it was placed), its status, its kept tails, which
   * attempt wrote the log (a new attempt starts a new log) and its exit code once it has one.
   */
  public record LogSource(NodeRecord node, String status, boolean finished, JsonObject result, int attempt,
      Integer exitCode) {}

  public Future<LogSource> logSource(String taskId) {
    return loop.read((s, now) -> {
      TaskRecord t = s.tasks().get(taskId);
      if (t == null) {
        throw new ApiException(ErrorCode.UNKNOWN_TASK, "no task with id " + taskId,
            new JsonObject().put("task_id", taskId));
      }
      NodeRecord n = t.nodeId() == null ? null : s.nodes().get(t.nodeId());
      JsonObject doc = t.toJson();
      return new LogSource(n, t.state().wire(), t.state().terminal(), doc.getJsonObject("result"),
          t.attempts().size(), doc.getInteger("exit_code"));
    });
  }

  /** A slice of a task's full log from the node that ran it. */
  public Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max) {
    return loop.delivery().fetchLog(node, taskId, offset, max);
  }

  /** How many tasks are queued (the readiness check: the loop answers). */
  public Future<Integer> queueDepth() {
    return loop.read((s, now) -> s.queue().size());
  }

  /** What the cluster gauges show, copied on the loop. */
  public Future<ClusterSnapshot> snapshot() {
    return loop.read((s, now) -> ClusterSnapshot.of(s));
  }

  /** Completes once the write under way (if any) is done: everything decided before this call is stored. */
  public Future<Void> written() {
    return loop.call((s, now) -> null);
  }
}
