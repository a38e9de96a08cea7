package io.heady.manager.scheduler;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's loop and its outbox. Every operation runs on this verticle's event loop (one owner, no
 * locks); what the operations changed is written to the {@link ClusterStore} by the {@link Outbox} in one write
 * behind those waiting on the loop, before their callers hear back; dispatches, cancels, probes and events leave
 * only after the write that records them. Callers reach the loop through {@link ClusterService}; leadership is
 * {@link LeaderLease}'s.
 */
public final class SchedulerVerticle extends VerticleBase {
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
  private final Outbox outbox;
  private final List<Runnable> whenLeading = new CopyOnWriteArrayList<>();
  private Scheduler scheduler;
  private boolean listening;
  private long wakeTimer = -1;
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
    this.outbox = new Outbox(store, journal, health, lease, clock);
  }

  /** Signs each batch of events published on the bus (the managers' key). */
  public void eventSigner(Function<byte[], String> signer) {
    outbox.eventSigner(signer);
  }

  /** At most one signed message of events on the bus this often (zero: each batch at once); set before start. */
  public void busWindow(Duration window) {
    outbox.busWindow(window);
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

  /** What gives dispatched attempts their secrets (before deployment). */
  public void secrets(Secrets s) {
    outbox.secrets(s, (taskId, leaseId, why, lasting) -> call((sch, now) -> {
      sch.secretsUnavailable(taskId, leaseId, why, lasting, now);
      return null;
    }));
  }

  Secrets secrets() {
    return outbox.secrets();
  }

  public void delivery(Delivery d) {
    outbox.delivery(d);
  }

  Delivery delivery() {
    return outbox.delivery();
  }

  /** Where the scheduler's decisions leave it (the watchdog's events go there too). */
  SchedulerSink outbox() {
    return outbox;
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
    scheduler = factory.apply(outbox);
    outbox.start(vertx, context, scheduler);
    return lease.start(vertx, () -> recover().compose(v -> listen()));
  }

  @Override
  public Future<?> stop() {
    // why: events held for the bus's window go out before the manager leaves, so no member misses them
    outbox.flushBus();
    return Future.succeededFuture();
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
      return outbox.flush();
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
        outbox.flushSoon();
        p.fail(e);
        return;
      }
      outbox.flushSoon().onComplete(ar -> {
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
}
