package io.heady.manager.scheduler;

import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.metrics.TaskMetrics;
import io.heady.manager.metrics.TaskTimings;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.store.ClusterStore;
import io.heady.manager.store.NotLeaderException;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's loop and its outbox. Every operation runs on this verticle's event loop (one owner, no
 * locks); what the operations changed is written to the {@link ClusterStore} in one write behind those waiting
 * on the loop, before their callers hear back; dispatches, cancels, probes and events leave only after the write
 * that records them. Callers reach the loop through {@link ClusterService}; leadership is {@link LeaderLease}'s.
 */
public final class SchedulerVerticle extends VerticleBase implements SchedulerSink {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

  /** Delivers dispatches and cancels to nodes; implemented by the agents adapter. */
  public interface Delivery {
    /** Sends attempts to one node, in one message where its transport allows. */
    void dispatch(NodeRecord node, List<Dispatch> batch);

    void cancel(NodeRecord node, String taskId, String leaseId);

    /** Probes a node soon (and again with a growing pause while it stays suspect). */
    void probe(NodeRecord node);

    /** A slice of a task's full log, from the node that ran it. */
    Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max);
  }

  /** An operation on the scheduler at a moment. */
  @FunctionalInterface
  interface Op<T> {
    T apply(Scheduler scheduler, Instant now);
  }

  private final Clock clock;
  private final ClusterStore store;
  private final Function<SchedulerSink, Scheduler> factory;
  private final long tickMs;
  private final EventJournal journal;
  private final LeaderLease lease;
  private final StoreHealth health;
  private final List<Runnable> whenLeading = new CopyOnWriteArrayList<>();
  private Scheduler scheduler;
  private Delivery delivery;
  private boolean listening;
  private final Map<String, TaskRecord> dirtyTasks = new LinkedHashMap<>();
  private final Map<String, NodeRecord> dirtyNodes = new LinkedHashMap<>();
  private final List<String> removedNodes = new ArrayList<>();
  private final List<Runnable> afterWrite = new ArrayList<>();
  private final Map<String, NodeDispatches> dispatches = new LinkedHashMap<>();
  private final List<EventJournal.Entry> events = new ArrayList<>();
  private Promise<Void> nextFlush;
  private Function<byte[], String> eventSigner = b -> null;
  private long wakeTimer = -1;
  private long retryTimer = -1;
  private boolean countersDirty;
  private Instant wakeAt;

  public SchedulerVerticle(Clock clock, ClusterStore store, Function<SchedulerSink, Scheduler> factory, long tickMs,
      EventJournal journal, LeaderLease lease) {
    this.clock = clock;
    this.store = store;
    this.factory = factory;
    this.tickMs = tickMs;
    this.journal = journal;
    this.lease = lease;
    this.health = new StoreHealth(store);
  }

  /** Signs each batch of events published on the bus (the managers' key). */
  public void eventSigner(Function<byte[], String> signer) {
    this.eventSigner = signer;
  }

  public void delivery(Delivery d) {
    this.delivery = d;
  }

  Delivery delivery() {
    return delivery;
  }

  /** The events and the listeners that hear them after each write. */
  EventJournal journal() {
    return journal;
  }

  LeaderLease lease() {
    return lease;
  }

  StoreHealth health() {
    return health;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Runs {@code r} on this loop once this manager leads and has recovered the cluster's state (at once when it
   * does already): what only the leader may do, such as taking the agents' messages on the event bus.
   */
  public void whenLeading(Runnable r) {
    if (context == null) {
      whenLeading.add(r); // not deployed yet: run at the take-over
      return;
    }
    context.runOnContext(v -> {
      if (listening) {
        r.run();
      } else {
        whenLeading.add(r);
      }
    });
  }

  @Override
  public Future<?> start() {
    scheduler = factory.apply(this);
    return lease.start(vertx, () -> recover().compose(v -> listen()));
  }

  /** Reads back what the store holds (nothing for a fresh memory store) before taking any request. */
  private Future<Void> recover() {
    return Future.all(store.nodes(), store.unfinishedTasks(), store.counters(), store.highestSeq()).compose(all -> {
      List<JsonObject> nodes = all.resultAt(0);
      List<JsonObject> tasks = all.resultAt(1);
      JsonObject counters = all.resultAt(2);
      Long highest = all.resultAt(3);
      // why: a new task must come after every task the store holds, finished ones included, or lists by
      // submission order would put it among the old ones
      scheduler.tasks().seqAtLeast(highest == null ? 0 : highest);
      if (nodes.isEmpty() && tasks.isEmpty()) {
        return Future.succeededFuture();
      }
      scheduler.restore(nodes, tasks, counters == null ? new JsonObject() : counters, clock.instant());
      LOG.info("recovered {} nodes and {} unfinished tasks from {}", nodes.size(), tasks.size(), store.describe());
      return flush();
    });
  }

  /** The leader's loop starts: what waited for the leadership runs, and time starts to tick. */
  private Future<Void> listen() {
    listening = true;
    whenLeading.forEach(Runnable::run);
    whenLeading.clear();
    vertx.setPeriodic(tickMs, id -> call((s, now) -> {
      s.tick(now);
      return null;
    }));
    return Future.succeededFuture();
  }

  // ---- the loop ----------------------------------------------------------------------------------------

  /** Runs {@code op} on the scheduler's event loop, writes what changed, then completes. */
  <T> Future<T> call(Op<T> op) {
    if (!lease.leading()) {
      return lease.refusal();
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      T result;
      try {
        result = op.apply(scheduler, clock.instant());
      } catch (RuntimeException e) {
        flushSoon();
        p.fail(e);
        return;
      }
      flushSoon().onComplete(ar -> {
        if (ar.succeeded()) {
          p.complete(result);
        } else {
          p.fail(ar.cause());
        }
      });
      armWakeup();
    });
    return p.future();
  }

  /** Runs a read on the scheduler's event loop (it changes nothing, so nothing is written). */
  <T> Future<T> read(Op<T> op) {
    if (!lease.leading()) {
      return lease.refusal();
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(op.apply(scheduler, clock.instant()));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /**
   * Writes new tasks ahead of the loop (a submission is acknowledged only once durable); a refused write marks
   * the store unavailable and fails with 503, nothing submitted.
   */
  Future<Void> writeAhead(List<JsonObject> docs) {
    return store.saveTasks(docs).transform(ar -> {
      if (ar.failed()) {
        health.wrote(false);
        return Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE, "the store did not take the "
            + "submission (" + ar.cause().getMessage() + "); nothing was submitted; retry shortly"));
      }
      return Future.succeededFuture();
    });
  }

  /** A one-shot timer for the next retry delay to end, so retries do not wait for the periodic tick. */
  private void armWakeup() {
    Instant next = scheduler.nextWakeup();
    if (next == null || (wakeAt != null && !next.isBefore(wakeAt))) {
      return;
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    wakeAt = next;
    long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis());
    wakeTimer = vertx.setTimer(delay, id -> {
      wakeTimer = -1;
      wakeAt = null;
      call((s, now) -> {
        s.tick(now);
        return null;
      });
    });
  }

  // ---- the outbox: what the scheduler decided leaves here ------------------------------------------------

  @Override
  public void dispatch(NodeRecord node, Dispatch d) {
    dispatches.computeIfAbsent(node.nodeId(), k -> new NodeDispatches(node, new ArrayList<>())).batch().add(d);
  }

  private record NodeDispatches(NodeRecord node, List<Dispatch> batch) {}

  @Override
  public void cancel(NodeRecord node, String taskId, String leaseId) {
    afterWrite.add(() -> delivery.cancel(node, taskId, leaseId));
  }

  @Override
  public void probe(NodeRecord node) {
    afterWrite.add(() -> delivery.probe(node));
  }

  @Override
  public void event(String type, JsonObject data) {
    String taskId = data.getString("task_id");
    TaskTimings timings = taskId != null && TaskMetrics.needsTimings(type)
        ? TaskTimings.of(scheduler.tasks().get(taskId)) : TaskTimings.NONE;
    events.add(journal.append(type, data, clock.instant(), timings));
  }

  @Override
  public void taskChanged(TaskRecord task) {
    dirtyTasks.put(task.id(), task);
  }

  @Override
  public void nodeChanged(NodeRecord node) {
    dirtyNodes.put(node.nodeId(), node);
  }

  @Override
  public void nodeRemoved(String nodeId) {
    dirtyNodes.remove(nodeId);
    removedNodes.add(nodeId);
  }

  /**
   * The write that will carry what changed so far: one flush after the operations already waiting on this
   * loop have run, so a burst of them (a batch of results, a flood of heartbeats) is one write to the store.
   */
  private Future<Void> flushSoon() {
    if (nextFlush == null) {
      nextFlush = Promise.promise();
      context.runOnContext(v -> {
        Promise<Void> p = nextFlush;
        nextFlush = null;
        flush().onComplete(p);
      });
    }
    return nextFlush.future();
  }

  /**
   * Writes everything changed since the last flush, then sends what waited on it. A failed write puts its
   * records back among the dirty ones, so the next flush (or the retry timer) saves their current state;
   * callers waiting on it are told the store is unavailable.
   */
  private Future<Void> flush() {
    if (dirtyTasks.isEmpty() && dirtyNodes.isEmpty() && removedNodes.isEmpty() && !countersDirty) {
      effects().run();
      return Future.succeededFuture();
    }
    Map<String, TaskRecord> taskBatch = new LinkedHashMap<>(dirtyTasks);
    Map<String, NodeRecord> nodeBatch = new LinkedHashMap<>(dirtyNodes);
    List<String> removed = new ArrayList<>(removedNodes);
    dirtyTasks.clear();
    dirtyNodes.clear();
    removedNodes.clear();
    countersDirty = false;
    List<JsonObject> tasks = new ArrayList<>(taskBatch.size());
    taskBatch.values().forEach(t -> tasks.add(t.toJson()));
    List<JsonObject> nodes = new ArrayList<>(nodeBatch.size());
    nodeBatch.values().forEach(n -> nodes.add(n.toJson()));
    List<Future<?>> writes = new ArrayList<>();
    if (!tasks.isEmpty()) {
      writes.add(store.saveTasks(tasks));
    }
    if (!nodes.isEmpty()) {
      writes.add(store.saveNodes(nodes));
    }
    removed.forEach(id -> writes.add(store.deleteNode(id)));
    writes.add(store.saveCounters(scheduler.counters().toJson()));
    Runnable actions = effects();
    return Future.join(writes).<Void>mapEmpty().onComplete(ar -> {
      health.wrote(ar.succeeded());
      if (ar.failed()) {
        LOG.warn("store write failed ({}); will retry", ar.cause().getMessage());
        taskBatch.forEach(dirtyTasks::putIfAbsent);
        nodeBatch.forEach(dirtyNodes::putIfAbsent);
        removed.forEach(id -> {
          if (!removedNodes.contains(id)) {
            removedNodes.add(id);
          }
        });
        countersDirty = true;
        armRetry();
      }
      if (ar.failed() && ar.cause() instanceof NotLeaderException e) {
        lease.reclaim(e.getMessage()).onSuccess(carryOn -> {
          if (carryOn) {
            armRetry();
            actions.run();
          }
        });
        return;
      }
      // why: dispatching after the write (not before) means a crash never leaves a running task the store
      // has not heard of; when the write failed the dispatch still goes (the scheduler's memory is the truth
      // while it leads) and the record is saved by the retry
      actions.run();
    }).recover(e -> Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE,
        "the store did not take the write (" + e.getMessage() + "); retry shortly")));
  }

  private void armRetry() {
    if (retryTimer >= 0) {
      return;
    }
    retryTimer = vertx.setTimer(500, id -> {
      retryTimer = -1;
      flush();
    });
  }

  /**
   * Takes what waits on the current write: cancels, dispatches (one batch a node) and events (one batch
   * for the in-process listeners, one message on the cluster's event bus).
   */
  private Runnable effects() {
    if (afterWrite.isEmpty() && dispatches.isEmpty() && events.isEmpty()) {
      return () -> { };
    }
    List<Runnable> actions = new ArrayList<>(afterWrite);
    List<NodeDispatches> sends = new ArrayList<>(dispatches.values());
    List<EventJournal.Entry> published = new ArrayList<>(events);
    afterWrite.clear();
    dispatches.clear();
    events.clear();
    return () -> {
      actions.forEach(Runnable::run);
      sends.forEach(nd -> delivery.dispatch(nd.node(), nd.batch()));
      if (!published.isEmpty()) {
        journal.publish(published);
        JsonArray arr = new JsonArray(new ArrayList<>(published.size()));
        published.forEach(e -> arr.add(e.json()));
        // why: any member may listen to events; the managers' signature lets it tell them from a forgery
        String text = arr.encode();
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("events", arr).put("signed", text)
            .put("sig", eventSigner.apply(text.getBytes(StandardCharsets.UTF_8))));
      }
    };
  }
}
