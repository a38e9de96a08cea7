package io.heady.common.node;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Report;
import io.heady.common.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node tells the manager about its tasks: attempts that started and results, sent together in
 * {@link Report}s. Whatever piles up while one report is on its way leaves in the next, so a burst of quick
 * tasks costs a few messages, not one per task. Every executor sends through one: the agent over its link,
 * the manager's local executor straight to the scheduler.
 *
 * <p>Each result is sent until the manager gives a final answer about it (accepted, duplicate, stale lease,
 * unknown task); a network blip or a manager restart only delays it, with exponential backoff from 250 ms to
 * 30 s. Until then the task stays in the heartbeat's running list, so the manager does not think it lost.
 * The pending results outlive a transport session: a new session resends them. A start is news only once:
 * it is sent at most once, and not at all when the result goes in the same report.
 */
public final class Reports {
  private static final Logger LOG = LoggerFactory.getLogger(Reports.class);
  /** A result not delivered is sent again from 250 ms, doubling, at most 30 s apart. */
  private static final Backoff RETRY = Backoff.doubling(250, 30_000);

  private final String nodeId;
  private final int maxItems;
  private final Map<String, Completion> pending = new LinkedHashMap<>(); // guarded by this
  private final Set<String> inFlight = new HashSet<>(); // guarded by this
  private final Map<String, Long> notBefore = new HashMap<>(); // nanoTime; guarded by this
  private final Map<String, Long> delay = new HashMap<>(); // guarded by this
  private final ConcurrentLinkedQueue<Report.Started> started = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sendQueued = new AtomicBoolean();
  private volatile Vertx vertx;
  private volatile ReportChannel link;
  private volatile long session;
  private long retryTimer = -1; // on the session's loop

  public Reports(String nodeId) {
    this(nodeId, 500);
  }

  /** @param maxItems the most items (starts and results) one report carries */
  public Reports(String nodeId, int maxItems) {
    this.nodeId = nodeId;
    this.maxItems = Math.min(maxItems, Report.MAX_ITEMS);
  }

  /** Binds to a new transport session and resends everything still pending. */
  public void attach(Vertx v, ReportChannel l) {
    synchronized (this) {
      inFlight.clear();
      notBefore.clear();
      delay.clear();
    }
    this.vertx = v;
    this.link = l;
    session++;
    retryTimer = -1;
    sendSoon();
  }

  /** The transport is going away; sending stops until the next {@link #attach}. */
  public void detach() {
    session++;
    this.vertx = null;
    this.link = null;
  }

  /** A result to deliver. */
  public void submit(Completion c) {
    synchronized (this) {
      pending.put(c.taskId(), c);
    }
    sendSoon();
  }

  /** An attempt started running (news for the manager's view; lost with the session if it cannot go). */
  public void started(String taskId, String leaseId) {
    started.add(new Report.Started(taskId, leaseId));
    sendSoon();
  }

  private void sendSoon() {
    Vertx v = vertx;
    if (v != null && sendQueued.compareAndSet(false, true)) {
      long s = session;
      v.runOnContext(x -> {
        sendQueued.set(false);
        send(s);
      });
    }
  }

  /** Sends everything that is due, in reports of at most {@code maxItems}. Runs on the session's loop. */
  private void send(long s) {
    ReportChannel l = link;
    Vertx v = vertx;
    if (s != session || l == null || v == null) {
      return;
    }
    while (true) {
      List<Completion> results = new ArrayList<>();
      List<Report.Started> starts = new ArrayList<>();
      long now = System.nanoTime();
      synchronized (this) {
        for (Completion c : pending.values()) {
          if (results.size() >= maxItems) {
            break;
          }
          Long nb = notBefore.get(c.taskId());
          if (!inFlight.contains(c.taskId()) && (nb == null || nb - now <= 0)) {
            results.add(c);
          }
        }
        for (Completion c : results) {
          inFlight.add(c.taskId());
          notBefore.remove(c.taskId());
        }
        for (Report.Started st; results.size() + starts.size() < maxItems && (st = started.poll()) != null; ) {
          if (!pending.containsKey(st.taskId())) {
            starts.add(st); // why: a result already waiting says the attempt ran; the start adds nothing
          }
        }
      }
      if (results.isEmpty() && starts.isEmpty()) {
        return;
      }
      Report r = new Report(nodeId, starts, results);
      Future<JsonObject> sent;
      try {
        sent = l.report(r.toJson());
      } catch (RuntimeException e) {
        // why: a channel that throws instead of failing its future must not leave these results in flight forever
        sent = Future.failedFuture(e);
      }
      sent.onComplete(ar -> answered(r, ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null, s));
    }
  }

  private void answered(Report r, JsonObject reply, Throwable failure, long s) {
    List<Completion> again = new ArrayList<>();
    synchronized (this) {
      r.results().forEach(c -> inFlight.remove(c.taskId()));
      if (failure != null) {
        again.addAll(r.results());
      } else {
        Map<String, JsonObject> answers = new HashMap<>();
        JsonArray items = reply.getJsonArray("results", new JsonArray());
        for (int i = 0; i < items.size(); i++) {
          if (items.getValue(i) instanceof JsonObject o && o.getString("task_id") != null) {
            answers.put(o.getString("task_id"), o);
          }
        }
        for (Completion c : r.results()) {
          JsonObject a = answers.get(c.taskId());
          if (a == null || !settled(c, a)) {
            again.add(c);
          } else if (pending.get(c.taskId()) == c) {
            pending.remove(c.taskId());
            notBefore.remove(c.taskId());
            delay.remove(c.taskId());
          }
        }
      }
      long now = System.nanoTime();
      for (Completion c : again) {
        long d = delay.merge(c.taskId(), RETRY.first(), (old, x) -> RETRY.next(old));
        notBefore.put(c.taskId(), now + d * 1_000_000);
      }
    }
    if (!again.isEmpty()) {
      LOG.debug("{} results not delivered ({}); retrying", again.size(),
          failure != null ? failure.getMessage() : "refused for now");
      armRetry(s);
    }
    sendSoon();
  }

  /** Whether the manager's answer about a result is final: taken, a duplicate, stale, or of an unknown task. */
  private static boolean settled(Completion c, JsonObject a) {
    if (a.getBoolean("accepted", false)) {
      return true;
    }
    int status = a.getInteger("status", 0);
    if (settled(status)) {
      JsonObject err = a.getJsonObject("error", new JsonObject());
      LOG.info("result of {} settled by the manager: {} {}", c.taskId(), status, err.getString("message"));
      return true;
    }
    return false;
  }

  /**
   * Whether the manager's refusal of a result is final, so the node stops sending it: 409 (taken already, or
   * a stale lease), 404 (an unknown task) or 400 (the result is not valid). Anything else (503 while its store
   * is down, no answer) is sent again.
   */
  public static boolean settled(int status) {
    return status == 409 || status == 404 || status == 400;
  }

  /** One timer for the earliest retry that is due. Runs on the session's loop. */
  private void armRetry(long s) {
    Vertx v = vertx;
    if (v == null || s != session) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      wait = notBefore.values().stream().mapToLong(nb -> Math.max(1, (nb - now) / 1_000_000)).min().orElse(-1);
    }
    if (wait < 0) {
      return;
    }
    if (retryTimer >= 0) {
      v.cancelTimer(retryTimer);
    }
    retryTimer = v.setTimer(wait, id -> {
      retryTimer = -1;
      send(s);
      armRetry(s);
    });
  }

  public synchronized List<String> pendingIds() {
    return new ArrayList<>(pending.keySet());
  }

  public synchronized int size() {
    return pending.size();
  }
}
