package io.heady.agent.executor;

import io.heady.agent.link.LinkException;
import io.heady.agent.link.ManagerLink;
import io.heady.common.protocol.Completion;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results on their way to the manager. Each is sent until the manager gives a final answer (accepted,
 * duplicate, stale lease or unknown task); a network blip or a manager restart only delays it, with
 * exponential backoff from 250 ms to 30 s. Until then the task stays in the heartbeat's running list, so the
 * manager does not think it lost.
 */
public final class Reports {
  private static final Logger LOG = LoggerFactory.getLogger(Reports.class);
  private final Vertx vertx;
  private final ManagerLink link;
  private final Map<String, Completion> pending = new java.util.concurrent.ConcurrentHashMap<>();

  public Reports(Vertx vertx, ManagerLink link) {
    this.vertx = vertx;
    this.link = link;
  }

  /** Call on the executor's event loop. */
  public void submit(Completion c) {
    pending.put(c.taskId(), c);
    send(c, 250);
  }

  private void send(Completion c, long nextDelay) {
    link.complete(c.toJson()).onComplete(ar -> {
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
      vertx.setTimer(nextDelay, id -> {
        if (pending.get(c.taskId()) == c) {
          send(c, Math.min(30_000, nextDelay * 2));
        }
      });
    });
  }

  public List<String> pendingIds() {
    return new ArrayList<>(pending.keySet());
  }

  public int size() {
    return pending.size();
  }
}
