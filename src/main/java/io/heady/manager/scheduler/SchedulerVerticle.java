package io.heady.manager.scheduler;

import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.common.protocol.SignedBus;
import io.heady.manager.metrics.TaskMetrics;
import io.heady.manager.metrics.TaskTimings;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.store.ClusterStore;
import io.heady.manager.task.TaskRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts the {@link Scheduler} to Vert.x: every call runs on this verticle's event loop (one owner, no
 * locks), changes are written to the {@link ClusterStore} before the caller hears back, and dispatches
 * leave only after the state that records them is written.
 */
public final class SchedulerVerticle extends VerticleBase implements SchedulerSink {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

  /** Delivers dispatches and cancels to nodes; implemented by the allocator. */
  public interface Delivery {
    /** Sends attempts to one node, in one message where its transport allows. */
    void dispatch(NodeRecord node, List<Dispatch> batch);

    void cancel(NodeRecord node, String taskId, String leaseId);

    /** Probes a node soon (and again with a growing pause while it stays suspect). */
    void probe(NodeRecord node);

    /** A slice of a task's full log, from the node that ran it. */
    Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max);
  }

  /**
   * Gives attempts their secrets when they are dispatched and masks them in what comes back; implemented by the
   * manager's {@code DispatchSecrets}.
   */
  public interface Secrets {
    /** The dispatch with the values of {@code refs} (variable → secret name) sealed for {@code node}. */
    Future<Dispatch> seal(NodeRecord node, Dispatch d, Map<String, String> refs);

    /** Whether a failure of {@link #seal} will not go away (the task fails), or may (the task waits again). */
    boolean lasting(Throwable failure);

    /** A failure of {@link #seal} in words, naming the secret and never a value. */
    String describe(Throwable failure, Map<String, String> refs);

    /** A node's result with every secret value its attempt was given masked. */
    Completion mask(Completion c);

    /** The attempt's result is recorded: its values are no longer needed. */
    default void forget(String leaseId) {}

    /** No secrets held: a task that names one fails at dispatch. */
    Secrets NONE = new Secrets() {
      @Override
      public Future<Dispatch> seal(NodeRecord node, Dispatch d, Map<String, String> refs) {
        return Future.failedFuture(new IllegalStateException("this manager holds no secrets"));
      }

      @Override
      public boolean lasting(Throwable failure) {
        return true;
      }

      @Override
      public String describe(Throwable failure, Map<String, String> refs) {
        return failure.getMessage();
      }

      @Override
      public Completion mask(Completion c) {
        return c;
      }
    };
  }

  private final Clock clock;
  private final ClusterStore store;
  private final Function<SchedulerSink, Scheduler> factory;
  private final long tickMs;
  private final SchedulerSettings settings;
  private Scheduler scheduler;
  private Delivery delivery;
  private final Map<String, TaskRecord> dirtyTasks = new LinkedHashMap<>();
  private final Map<String, NodeRecord> dirtyNodes = new LinkedHashMap<>();
  private final List<String> removedNodes = new ArrayList<>();
  private final List<Runnable> afterWrite = new ArrayList<>();
  private final Map<String, NodeDispatches> dispatches = new LinkedHashMap<>();
  private final List<EventJournal.Entry> events = new ArrayList<>();
  private Promise<Void> nextFlush;
  private final EventJournal journal;
  private final io.heady.common.identity.Seal seal;
  private java.util.function.Function<byte[], String> eventSigner = b -> null;
  private long wakeTimer = -1;
  private long retryTimer = -1;
  private boolean countersDirty;
  private volatile boolean storeHealthy = true;
  private Runnable onLostLeadership = () -> { };
  private Instant wakeAt;

  public SchedulerVerticle(Clock clock, ClusterStore store, SchedulerSettings settings,
      Function<SchedulerSink, Scheduler> factory, long tickMs, EventJournal journal,
      io.heady.common.identity.Seal seal) {
    this.seal = seal;
    this.clock = clock;
    this.settings = settings;
    this.store = store;
    this.factory = factory;
    this.tickMs = tickMs;
    this.journal = journal;
  }

  private <T> Future<T> notLeader() {
    return store.leader().transform(ar -> Future.failedFuture(new ApiException(ErrorCode.NOT_LEADER,
        "this manager is a standby; the leader is " + (ar.succeeded() && ar.result() != null ? ar.result()
            : "being elected") + "; ask it, or retry shortly",
        new JsonObject().put("leader", ar.succeeded() ? ar.result() : null))));
  }

  /** What to do when the store says another manager leads (the manager exits; its supervisor restarts it). */
  public void onLostLeadership(Runnable r) {
    this.onLostLeadership = r;
  }

  /** Whether the last write reached the store. */
  public boolean storeHealthy() {
    return storeHealthy;
  }

  /**
   * Like {@link #call} for changes a person or program asked for: refused at once with 503 while the store
   * is known to be down, so nothing is half-accepted.
   */
  public <T> Future<T> change(Op<T> op) {
    if (!storeHealthy) {
      return store.ping().transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE,
              "the store is unavailable (" + store.describe() + "); nothing was changed; retry shortly"));
        }
        storeHealthy = true;
        return call(op);
      });
    }
    return call(op);
  }

  /**
   * A submission, acknowledged only once durable: validated on the scheduler's loop, written to the store,
   * and only then made the scheduler's. A refused write leaves nothing behind (503, nothing runs).
   */
  public Future<List<Scheduler.Submitted>> submit(List<io.heady.common.protocol.TaskSpec> specs, boolean batch) {
    Future<Void> ready = storeHealthy ? Future.succeededFuture() : store.ping().transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE,
            "the store is unavailable (" + store.describe() + "); nothing was submitted; retry shortly"));
      }
      storeHealthy = true;
      return Future.succeededFuture();
    });
    return ready.compose(v -> read(s -> s.prepare(specs, batch, clock.instant()))).compose(prepared -> {
      if (prepared.createsNothing()) {
        return Future.succeededFuture(prepared.existing());
      }
      return store.saveTasks(prepared.documents()).transform(ar -> {
        if (ar.failed()) {
          storeHealthy = false;
          return Future.failedFuture(new ApiException(ErrorCode.STORE_UNAVAILABLE, "the store did not take the "
              + "submission (" + ar.cause().getMessage() + "); nothing was submitted; retry shortly"));
        }
        return call((s, now) -> s.commit(prepared, now));
      });
    });
  }

  private java.util.function.Predicate<String> resubscribe = id -> false;

  /** Tells a node in its heartbeat's answer to subscribe its bus addresses again (when this says so). */
  public void resubscribeHint(java.util.function.Predicate<String> r) {
    this.resubscribe = r;
  }

  /** Signs each batch of events published on the bus (the managers' key). */
  public void eventSigner(java.util.function.Function<byte[], String> signer) {
    this.eventSigner = signer;
  }

  public void delivery(Delivery d) {
    this.delivery = d;
  }

  private Secrets secrets = Secrets.NONE;

  /** What gives dispatched attempts their secrets (before deployment). */
  public void secrets(Secrets s) {
    this.secrets = s;
  }

  public Delivery delivery() {
    return delivery;
  }

  @Override
  public Future<?> start() {
    scheduler = factory.apply(this);
    if (leadership == null) {
      leading = true;
      return recover().compose(v -> listen());
    }
    // A standby: try for the lease now and then; until it is ours, answer 503 NOT_LEADER and hold nothing.
    campaign();
    return Future.succeededFuture();
  }

  /** Leader election through the store: one manager holds a lease; the others wait to take it over. */
  public record Leadership(String managerId, java.time.Duration ttl) {}

  private Leadership leadership;
  private volatile boolean leading;
  private Runnable onLeading = () -> { };

  /** Makes this a manager that leads only while it holds the store's lease. */
  public void leadership(Leadership l, Runnable whenLeading) {
    this.leadership = l;
    this.onLeading = whenLeading;
  }

  public boolean leading() {
    return leading;
  }

  private void campaign() {
    long every = Math.max(200, leadership.ttl().toMillis() / 3);
    vertx.setPeriodic(every, id -> store.tryLead(leadership.managerId(), leadership.ttl()).onComplete(ar -> {
      boolean mine = ar.succeeded() && ar.result();
      if (mine && !leading) {
        LOG.info("this manager ({}) leads now; recovering the cluster's state", leadership.managerId());
        leading = true;
        recover().compose(v -> listen()).onSuccess(v -> onLeading.run())
            .onFailure(e -> lostLeadership("could not take over: " + e.getMessage()));
      } else if (!mine && leading && ar.succeeded()) {
        lostLeadership("the lease passed to another manager");
      }
    }));
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

  private Future<Void> listen() {
    var bus = vertx.eventBus();
    // Agents on the event bus: every message is sealed with the sender's pair key (see Seal); a node speaks
    // only for itself.
    SignedBus.consumer(bus, false, Addresses.REGISTER, seal, (from, j) -> {
      Registration r = Registration.fromJson(j);
      return sameNode(from, r.nodeId()).compose(v -> register(r, false));
    });
    SignedBus.consumer(bus, false, Addresses.HEARTBEAT, seal, (from, j) -> {
      Heartbeat hb = Heartbeat.fromJson(j);
      return sameNode(from, hb.nodeId()).compose(v -> heartbeat(hb));
    });
    SignedBus.consumer(bus, false, Addresses.DEREGISTER, seal, (from, j) -> {
      String id = io.heady.common.protocol.Fields.reqId(j, "node_id");
      return sameNode(from, id).compose(v -> deregister(id));
    });
    SignedBus.consumer(bus, false, Addresses.COMPLETE, seal, (from, j) -> {
      Completion c = Completion.fromJson(j);
      return sameNode(from, c.nodeId()).compose(v -> complete(c));
    });
    SignedBus.consumer(bus, false, Addresses.REPORT, seal, (from, j) -> {
      Report r = Report.fromJson(j);
      return sameNode(from, r.nodeId()).compose(v -> report(r));
    });
    SignedBus.consumer(bus, false, Addresses.PROGRESS, seal, (from, j) -> {
      String t = j.getString("task_id");
      String l = j.getString("lease_id");
      if (t != null && l != null) {
        call((s, now) -> {
          scheduler.started(from, t, l, now);
          return null;
        });
      }
      return Future.succeededFuture();
    });
    vertx.setPeriodic(tickMs, id -> call((s, now) -> {
      scheduler.tick(now);
      return null;
    }));
    return Future.succeededFuture();
  }

  /**
   * A node speaks only for itself: what it sends about another node is refused (403), counted nowhere.
   */
  public static Future<Void> sameNode(String authenticated, String claimed) {
    if (authenticated != null && authenticated.equals(claimed)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN, "node " + authenticated
        + " may only speak for itself, not for " + claimed, new JsonObject().put("node_id", claimed)));
  }

  // ---- the service the API and the other verticles call ------------------------------------------------

  /** An operation on the scheduler at a moment. */
  @FunctionalInterface
  public interface Op<T> {
    T apply(Scheduler scheduler, Instant now);
  }

  /** Runs {@code op} on the scheduler's event loop, writes what changed, then completes. */
  public <T> Future<T> call(Op<T> op) {
    if (!leading) {
      return notLeader();
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

  /** The events and the listeners that hear them after each write. */
  public EventJournal journal() {
    return journal;
  }

  /** Runs a read on the scheduler's event loop. */
  public <T> Future<T> read(Function<Scheduler, T> op) {
    if (!leading) {
      return notLeader();
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(op.apply(scheduler));
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  public Future<JsonObject> register(Registration r, boolean local) {
    return call((s, now) -> {
      boolean created = scheduler.register(r, local, now);
      NodeRecord n = scheduler.nodes().get(r.nodeId());
      return registrationReply(n, created);
    });
  }

  private JsonObject registrationReply(NodeRecord n, boolean created) {
    return new JsonObject()
        .put("node_id", n.nodeId())
        .put("tier", n.tier().name())
        .put("status", n.status().wire())
        .put("max_concurrent", n.maxConcurrent())
        .put("heartbeat_interval_sec", heartbeatSec())
        .put("ttl_sec", settings.ttl().toSeconds())
        .put("created", created);
  }

  private long heartbeatSec() {
    return settings.heartbeat().toSeconds();
  }

  public Future<JsonObject> deregister(String nodeId) {
    return call((s, now) -> s.deregister(nodeId, now).toJson().put("deregistered", true));
  }

  public Future<JsonObject> heartbeat(Heartbeat hb) {
    return call((s, now) -> {
      NodeRecord n = scheduler.heartbeat(hb, now);
      JsonObject out = new JsonObject().put("accepted", true).put("next_heartbeat_sec", heartbeatSec())
          .put("status", n.status().wire());
      if (resubscribe.test(hb.nodeId())) {
        out.put("resubscribe", true);
      }
      return out;
    });
  }

  public Future<JsonObject> complete(Completion raw) {
    Completion c = secrets.mask(raw);
    return call((s, now) -> {
      Scheduler.Completed r = scheduler.complete(c, now);
      JsonObject out = new JsonObject().put("accepted", r.accepted());
      if (r.duplicate()) {
        out.put("duplicate", true);
      }
      return out;
    }).andThen(ar -> forgetIfRecorded(c.leaseId(), ar));
  }

  /** A result the store took (or refused for good: a stale lease is recorded as late) needs no more masking. */
  private void forgetIfRecorded(String leaseId, io.vertx.core.AsyncResult<?> ar) {
    if (ar.succeeded() || (ar.cause() instanceof ApiException e && e.code() != ErrorCode.STORE_UNAVAILABLE
        && e.code() != ErrorCode.NOT_LEADER)) {
      secrets.forget(leaseId);
    }
  }

  /**
   * A node's batch: starts, then results, each result answered on its own; one write for all of it. A
   * refused write fails the whole batch (503), and the node sends it again.
   */
  public Future<JsonObject> report(Report r) {
    List<String> seen = new ArrayList<>();
    return call((s, now) -> {
      scheduler.reported(r.nodeId(), now);
      for (Report.Started st : r.started()) {
        scheduler.started(r.nodeId(), st.taskId(), st.leaseId(), now);
      }
      JsonArray out = new JsonArray(new ArrayList<>(r.results().size()));
      for (Completion raw : r.results()) {
        Completion c = secrets.mask(raw);
        try {
          Scheduler.Completed done = scheduler.complete(c, now);
          seen.add(c.leaseId());
          out.add(Report.itemAccepted(c.taskId(), done.duplicate()));
        } catch (ApiException e) {
          out.add(Report.itemRefused(c.taskId(), e));
        }
      }
      return new JsonObject().put("results", out);
    }).andThen(ar -> seen.forEach(l -> forgetIfRecorded(l, ar)));
  }

  // ---- sink: effects leave here ------------------------------------------------------------------------

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
      if (ar.failed()) {
        storeHealthy = false;
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
      } else {
        storeHealthy = true;
      }
      if (ar.failed() && ar.cause() instanceof io.heady.manager.store.NotLeaderException e) {
        reclaimOrStep(e.getMessage(), actions);
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
   * The store refused a write because this manager's lease lapsed (a Redis outage longer than the lease,
   * say). If no other manager took it, take it back and carry on; if one did, step down.
   */
  private void reclaimOrStep(String why, Runnable actions) {
    if (leadership == null) {
      lostLeadership(why);
      return;
    }
    store.tryLead(leadership.managerId(), leadership.ttl()).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        LOG.warn("the lease had lapsed ({}); no one else took it, so this manager leads on", why);
        armRetry();
        actions.run();
      } else if (ar.succeeded()) {
        lostLeadership(why);
      } else {
        armRetry(); // the store is still unreachable: try again later
        actions.run();
      }
    });
  }

  /** Another manager holds the lease: this one must not write another thing. */
  private void lostLeadership(String why) {
    LOG.error("lost the leadership ({}); stopping so a supervisor restarts this manager as a standby", why);
    onLostLeadership.run();
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
        JsonArray arr = new JsonArray(new ArrayList<>(published.size()));
        published.forEach(e -> arr.add(e.json()));
        // why: any member may listen to events; the managers' signature lets it tell them from a forgery
        String text = arr.encode();
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("events", arr).put("signed", text)
            .put("sig", eventSigner.apply(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      }
    };
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
        Map<String, String> r = refs.get(d.leaseId());
        boolean lasting = secrets.lasting(f.cause());
        String why = secrets.describe(f.cause(), r);
        LOG.info("attempt {} of {} not sent: {}", d.leaseId(), d.taskId(), why);
        call((s, now) -> {
          s.secretsUnavailable(d.taskId(), d.leaseId(), why, lasting, now);
          return null;
        });
      }
      if (!ready.isEmpty()) {
        delivery.dispatch(nd.node(), ready);
      }
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
    long delay = Math.max(1, java.time.Duration.between(clock.instant(), next).toMillis());
    wakeTimer = vertx.setTimer(delay, id -> {
      wakeTimer = -1;
      wakeAt = null;
      call((s, now) -> {
        scheduler.tick(now);
        return null;
      });
    });
  }
}
