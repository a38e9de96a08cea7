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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the scheduler's decisions leave it, write-behind: the records that changed are written to the
 * {@link ClusterStore} in one write after the operations waiting on the loop have run, and only then do the
 * dispatches (one batch a node), cancels, probes and events (one batch for the in-process listeners at once; on
 * the cluster's event bus, signed messages that a {@link BusCoalescer} merges to at most one a window) go out. A
 * failed write keeps its records for the next one.
 */
final class Outbox implements SchedulerSink {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final ClusterStore store;
  private final EventJournal journal;
  private final StoreHealth health;
  private final LeaderLease lease;
  private final Clock clock;
  private final Map<String, TaskRecord> dirtyTasks = new LinkedHashMap<>();
  private final Map<String, NodeRecord> dirtyNodes = new LinkedHashMap<>();
  private final List<String> removedNodes = new ArrayList<>();
  private final List<Runnable> afterWrite = new ArrayList<>();
  private final Map<String, NodeDispatches> dispatches = new LinkedHashMap<>();
  private final List<EventJournal.Entry> events = new ArrayList<>();
  private SchedulerVerticle.Delivery delivery;
  private SchedulerVerticle.Secrets secrets = SchedulerVerticle.Secrets.NONE;
  private Unsealed unsealed = (taskId, leaseId, why, lasting) -> { };
  private Function<byte[], String> eventSigner = b -> null;
  private BusCoalescer<EventJournal.Entry> busEvents = new BusCoalescer<>(Duration.ZERO);
  private long busTimer = -1;
  private Vertx vertx;
  private Context context;
  private Scheduler scheduler;
  private Promise<Void> nextFlush;
  private long retryTimer = -1;
  private boolean countersDirty;

  /** Where an attempt goes that could not be given its secrets (see {@link Scheduler#secretsUnavailable}). */
  interface Unsealed {
    void failed(String taskId, String leaseId, String why, boolean lasting);
  }

  void secrets(SchedulerVerticle.Secrets s, Unsealed u) {
    this.secrets = s;
    this.unsealed = u;
  }

  SchedulerVerticle.Secrets secrets() {
    return secrets;
  }

  Outbox(ClusterStore store, EventJournal journal, StoreHealth health, LeaderLease lease, Clock clock) {
    this.store = store;
    this.journal = journal;
    this.health = health;
    this.lease = lease;
    this.clock = clock;
  }

  void delivery(SchedulerVerticle.Delivery d) {
    this.delivery = d;
  }

  SchedulerVerticle.Delivery delivery() {
    return delivery;
  }

  void eventSigner(Function<byte[], String> signer) {
    this.eventSigner = signer;
  }

  /**
   * Events on the cluster's bus go at most one signed message a {@code window}: the first batch after a quiet
   * window at once, later ones merged (see {@link BusCoalescer}). Zero: each batch at once.
   */
  void busWindow(Duration window) {
    this.busEvents = new BusCoalescer<>(window);
  }

  /** Binds it to the loop it serves (at the verticle's start). */
  void start(Vertx vertx, Context context, Scheduler scheduler) {
    this.vertx = vertx;
    this.context = context;
    this.scheduler = scheduler;
  }

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
  Future<Void> flushSoon() {
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
  Future<Void> flush() {
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
   * for the in-process listeners, and for the cluster's event bus through the coalescer).
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
    // why: read here, on the scheduler's loop; the names only: values are read and sealed per attempt below
    Map<String, Map<String, String>> refs = new java.util.HashMap<>();
    for (NodeDispatches nd : sends) {
      for (Dispatch d : nd.batch()) {
        TaskRecord t = scheduler.tasks().get(d.taskId());
        if (t != null && !t.spec().secrets().isEmpty()) {
          refs.put(d.leaseId(), t.spec().secrets());
        }
      }
    }
    return () -> {
      actions.forEach(Runnable::run);
      sends.forEach(nd -> send(nd, refs));
      if (!published.isEmpty()) {
        journal.publish(published);
        toBus(published);
      }
    };
  }

  private void toBus(List<EventJournal.Entry> published) {
    if (Vertx.currentContext() != context) {
      // why: the coalescer is the loop's alone; a store may complete its write on another thread
      context.runOnContext(v -> toBus(published));
      return;
    }
    publishOnBus(busEvents.offer(published, clock.instant()));
    armBusTimer();
  }

  /**
   * Sends what the coalescer held once its window ends. The timer only asks again: the coalescer decides with
   * the clock's time, so a timer that fires early sends nothing and is armed again.
   */
  private void armBusTimer() {
    Instant due = busEvents.dueAt();
    if (due == null || busTimer >= 0) {
      return;
    }
    long ms = Math.max(1, Duration.between(clock.instant(), due).toMillis());
    busTimer = vertx.setTimer(ms, id -> {
      busTimer = -1;
      publishOnBus(busEvents.due(clock.instant()));
      armBusTimer();
    });
  }

  /** Sends what is held for the bus now, whatever the window (the scheduler stops). */
  void flushBus() {
    if (busTimer >= 0) {
      vertx.cancelTimer(busTimer);
      busTimer = -1;
    }
    publishOnBus(busEvents.drain());
  }

  private void publishOnBus(List<EventJournal.Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    JsonArray arr = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(e -> arr.add(e.json()));
    // why: any member may listen to events; the managers' signature lets it tell them from a forgery
    String text = arr.encode();
    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("events", arr).put("signed", text)
        .put("sig", eventSigner.apply(text.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * Sends one node's batch; attempts that name secrets get them sealed first (read from the store now, so a secret
   * set or removed since submission counts). An attempt whose secret cannot be had is not sent: it fails (the secret
   * is gone) or waits again (the store did not answer).
   */
  private void send(NodeDispatches nd, Map<String, Map<String, String>> refs) {
    if (nd.batch().stream().noneMatch(d -> refs.containsKey(d.leaseId()))) {
      delivery.dispatch(nd.node(), nd.batch());
      return;
    }
    List<Future<Dispatch>> sealed = new ArrayList<>();
    for (Dispatch d : nd.batch()) {
      Map<String, String> r = refs.get(d.leaseId());
      Future<Dispatch> f;
      try {
        f = r == null ? Future.succeededFuture(d) : secrets.seal(nd.node(), d, r);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      sealed.add(f);
    }
    Future.join(sealed).onComplete(ignored -> {
      List<Dispatch> ready = new ArrayList<>();
      for (int i = 0; i < sealed.size(); i++) {
        Future<Dispatch> f = sealed.get(i);
        Dispatch d = nd.batch().get(i);
        if (f.succeeded()) {
          ready.add(f.result());
          continue;
        }
        String why = secrets.describe(f.cause(), refs.get(d.leaseId()));
        LOG.info("attempt {} of {} not sent: {}", d.leaseId(), d.taskId(), why);
        unsealed.failed(d.taskId(), d.leaseId(), why, secrets.lasting(f.cause()));
      }
      if (!ready.isEmpty()) {
        delivery.dispatch(nd.node(), ready);
      }
    });
  }
}
