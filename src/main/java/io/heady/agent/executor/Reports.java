package io.heady.agent.executor;

import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.protocol.Completion;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results on their way to the manager. Each is sent until the manager gives a final answer (accepted,
 * duplicate, stale lease or unknown task); a network blip or a manager restart only delays it, with
 * exponential backoff from 250 ms to 30 s. Until then the task stays in the heartbeat's running list, so the
 * manager does not think it lost. The pending set outlives a transport session: a new session resends it.
 */
public final class Reports {
  private static final Logger LOG = LoggerFactory.getLogger(Reports.class);
  private final Map<String, Completion> pending = new ConcurrentHashMap<>();
  private volatile Vertx vertx;
  private volatile ManagerLink link;
  private volatile long session;

  /** Binds to a new transport session and resends everything still pending. */
  public void attach(Vertx v, ManagerLink l) {
    this.vertx = v;
    this.link = l;
    long s = ++session;
    pending.values().forEach(c -> v.runOnContext(x -> send(c, 250, s)));
  }

  /** The transport is going away; retries stop until the next {@link #attach}. */
  public void detach() {
    session++;
    this.vertx = null;
    this.link = null;
  }

  public void submit(Completion c) {
    pending.put(c.taskId(), c);
    Vertx v = vertx;
    long s = session;
    if (v != null) {
      v.runOnContext(x -> send(c, 250, s));
    }
  }

  private void send(Completion c, long nextDelay, long s) {
    ManagerLink l = link;
    Vertx v = vertx;
    if (s != session || l == null || v == null || pending.get(c.taskId()) != c) {
      return;
    }
    l.complete(c.toJson()).onComplete(ar -> {
      if (ar.succeeded()) {
        pending.remove(c.taskId(), c);
        return;
      }
      if (ar.cause() instanceof LinkException e && e.settled()) {
        LOG.info("result of {} settled by the manager: {} {}", c.taskId(), e.status(), e.getMessage());
        pending.remove(c.taskId(), c);
        return;
      }
      LOG.debug("result of {} not delivered ({}); retrying in {} ms", c.taskId(), ar.cause().getMessage(),
          nextDelay);
      v.setTimer(nextDelay, id -> send(c, Math.min(30_000, nextDelay * 2), s));
    });
  }

  public List<String> pendingIds() {
    return new ArrayList<>(pending.keySet());
  }

  public int size() {
    return pending.size();
  }
}
