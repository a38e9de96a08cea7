package io.heady.manager.allocator;

import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.SignedBus;
import io.heady.common.protocol.Signer;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.node.NodeStatus;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.scheduler.Undelivered;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dispatches and cancels to nodes and probes their health. Event-bus nodes (and the local executor)
 * are reached at {@code heady.node.<id>.*}; HTTP nodes at {@code <tunnel_url>/api/node/*} with the join
 * token. A refusal (429, full) sends the task to the next-ranked node; an unreachable node also counts
 * against its reliability.
 */
public final class AllocatorVerticle extends VerticleBase implements SchedulerVerticle.Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(AllocatorVerticle.class);
  private final SchedulerVerticle scheduler;
  private final Function<String, String> joinToken;
  private final long probeMs;
  private final long requestTimeoutMs;
  private final Signer signer;
  private WebClient http;
  private final java.util.Set<String> suspectProbes = new java.util.HashSet<>();

  public AllocatorVerticle(SchedulerVerticle scheduler, Supplier<String> joinToken, Signer signer, long probeMs,
      long requestTimeoutMs) {
    this(scheduler, nodeId -> joinToken.get(), signer, probeMs, requestTimeoutMs);
  }

  /** With the join token to present to each node (the old one while a not yet restarted agent uses it). */
  public AllocatorVerticle(SchedulerVerticle scheduler, Function<String, String> joinToken, Signer signer,
      long probeMs, long requestTimeoutMs) {
    this.signer = signer;
    this.scheduler = scheduler;
    this.joinToken = joinToken;
    this.probeMs = probeMs;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  @Override
  public Future<?> start() {
    http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) requestTimeoutMs)
        .setIdleTimeout(60).setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    vertx.setPeriodic(probeMs, id -> probeAll());
    return Future.succeededFuture();
  }

  @Override
  public void dispatch(NodeRecord node, List<Dispatch> batch) {
    if (isHttp(node) || batch.size() == 1) {
      batch.forEach(d -> dispatchOne(node, d));
      return;
    }
    JsonArray arr = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(d -> arr.add(d.toJson()));
    SignedBus.request(vertx.eventBus(), Addresses.nodeDispatchBatch(node.nodeId()), signer,
        new JsonObject().put("dispatches", arr), new DeliveryOptions().setSendTimeout(requestTimeoutMs))
        .onComplete(ar -> {
          if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            // why: a node from before batched dispatch listens only at the single address
            batch.forEach(d -> dispatchOne(node, d));
            return;
          }
          Map<String, Integer> status = new HashMap<>();
          if (ar.succeeded()) {
            JsonArray results = ar.result().getJsonArray("results", new JsonArray());
            for (int i = 0; i < results.size(); i++) {
              if (results.getValue(i) instanceof JsonObject r && r.getString("task_id") != null) {
                status.put(r.getString("task_id"), r.getInteger("status", -1));
              }
            }
          }
          // a failed request is every dispatch's answer: the node's refusal code, or a transport failure
          Future<Integer> whole = ar.failed() ? code(ar.cause()) : Future.succeededFuture(-1);
          int all = whole.succeeded() ? whole.result() : -1;
          Throwable cause = whole.failed() ? whole.cause()
              : new IllegalStateException("the node did not answer for this task");
          batch.forEach(d -> settle(node.nodeId(), d, status.getOrDefault(d.taskId(), all), cause));
        });
  }

  private void dispatchOne(NodeRecord node, Dispatch d) {
    JsonObject body = d.toJson();
    Future<Integer> sent;
    if (isHttp(node)) {
      sent = http.postAbs(node.tunnelUrl() + "/api/node/task").bearerTokenAuthentication(
          joinToken.apply(node.nodeId()))
          .timeout(requestTimeoutMs).sendJsonObject(body).map(HttpResponse::statusCode);
    } else {
      sent = SignedBus.request(vertx.eventBus(), Addresses.nodeDispatch(node.nodeId()), signer, body,
          new DeliveryOptions().setSendTimeout(requestTimeoutMs)).map(202).recover(AllocatorVerticle::code);
    }
    sent.onComplete(ar -> settle(node.nodeId(), d, ar.succeeded() ? ar.result() : -1, ar.cause()));
  }

  /** What a node answered for one dispatch: accepted, or a reason it never started the task. */
  private void settle(String nodeId, Dispatch d, int status, Throwable failure) {
    if (status == 202 || status == 200 || status == 409) {
      return; // accepted (409: the node already holds this lease, a repeated dispatch)
    }
    Undelivered kind = Undelivered.of(status);
    String why = switch (kind) {
      case FULL -> "node " + nodeId + " refused: full";
      case CLOSING -> "node " + nodeId + " is shutting down";
      case UNREACHABLE -> "dispatch to " + nodeId + " failed: " + (failure == null ? "no answer" : failure.getMessage());
      case REFUSED -> "node " + nodeId + " answered " + status;
    };
    LOG.info("dispatch of {} not delivered: {}", d.taskId(), why);
    scheduler.call((s, now) -> {
      s.dispatchFailed(d.taskId(), d.leaseId(), why, kind, now);
      return null;
    });
  }

  /** An event-bus failure as an HTTP-like status: the node's own refusal code, or a transport failure. */
  private static Future<Integer> code(Throwable t) {
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return Future.succeededFuture(re.failureCode());
      }
      return Future.failedFuture(new IllegalStateException(re.failureType() == ReplyFailure.NO_HANDLERS
          ? "not reachable on the event bus" : "no answer in time"));
    }
    return Future.failedFuture(t);
  }

  @Override
  public void cancel(NodeRecord node, String taskId, String leaseId) {
    JsonObject body = new JsonObject().put("task_id", taskId).put("lease_id", leaseId);
    Future<?> f = isHttp(node)
        ? http.postAbs(node.tunnelUrl() + "/api/node/tasks/" + taskId + "/cancel")
            .bearerTokenAuthentication(joinToken.apply(node.nodeId())).timeout(requestTimeoutMs)
            .sendJsonObject(body)
        : SignedBus.request(vertx.eventBus(), Addresses.nodeCancel(node.nodeId()), signer, body,
            new DeliveryOptions().setSendTimeout(requestTimeoutMs));
    f.onFailure(e -> LOG.info("cancel of {} on {} not delivered: {}", taskId, node.nodeId(), e.getMessage()));
  }

  @Override
  public Future<JsonObject> fetchLog(NodeRecord node, String taskId, long offset, int max) {
    if (isHttp(node)) {
      return http.getAbs(node.tunnelUrl() + "/api/node/tasks/" + taskId + "/log?offset=" + offset + "&max=" + max)
          .bearerTokenAuthentication(joinToken.apply(node.nodeId())).timeout(requestTimeoutMs).send()
          .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject())
              : Future.failedFuture("node answered " + r.statusCode()));
    }
    return SignedBus.request(vertx.eventBus(), Addresses.nodeLog(node.nodeId()), signer,
        new JsonObject().put("task_id", taskId).put("offset", offset).put("max", max),
        new DeliveryOptions().setSendTimeout(requestTimeoutMs));
  }

  private static boolean isHttp(NodeRecord node) {
    return "http".equals(node.transport()) && node.tunnelUrl() != null;
  }

  /** Active health probes of every node that should be alive (not the local executor). */
  private void probeAll() {
    scheduler.read(s -> {
      List<NodeRecord> out = new ArrayList<>();
      for (NodeRecord n : s.nodes().all()) {
        NodeStatus st = n.status();
        if (!n.cloud() && (st == NodeStatus.ACTIVE || st == NodeStatus.DRAINING || st == NodeStatus.UNHEALTHY
            || st == NodeStatus.PENDING || st == NodeStatus.SUSPECT)) {
          out.add(n);
        }
      }
      return out;
    }).onSuccess(nodes -> nodes.forEach(this::probeOnce));
  }

  /**
   * Probes a suspect node soon, and again after a pause that doubles (from 500 ms up to the probe interval)
   * while it stays suspect: it gets work back as soon as it answers, and a dead one is not hammered.
   */
  @Override
  public void probe(NodeRecord node) {
    if (node.cloud() || !suspectProbes.add(node.nodeId())) {
      return; // a probe loop for it runs already
    }
    probeLoop(node.nodeId(), 500);
  }

  private void probeLoop(String nodeId, long delayMs) {
    vertx.setTimer(delayMs, t -> scheduler.read(s -> s.nodes().get(nodeId)).onComplete(ar -> {
      NodeRecord n = ar.succeeded() ? ar.result() : null;
      if (n == null || (n.status() != NodeStatus.SUSPECT && !n.fullClaimed())) {
        suspectProbes.remove(nodeId);
        return;
      }
      probeOnce(n).onComplete(done -> {
        if (done.succeeded()) {
          suspectProbes.remove(nodeId);
        } else {
          probeLoop(nodeId, Math.min(probeMs, delayMs * 2));
        }
      });
    }));
  }

  /** One probe; its answer (with what the node holds) or failure goes to the scheduler. */
  private Future<JsonObject> probeOnce(NodeRecord n) {
    Future<JsonObject> f = isHttp(n)
        ? http.getAbs(n.tunnelUrl() + "/api/node/health").bearerTokenAuthentication(joinToken.apply(n.nodeId()))
            .timeout(requestTimeoutMs).send().compose(r -> r.statusCode() == 200
                ? Future.succeededFuture(r.bodyAsJsonObject())
                : Future.failedFuture("health answered " + r.statusCode()))
        : SignedBus.request(vertx.eventBus(), Addresses.nodeHealth(n.nodeId()), signer, new JsonObject(),
            new DeliveryOptions().setSendTimeout(requestTimeoutMs));
    String id = n.nodeId();
    return f.andThen(ar -> scheduler.call((s, now) -> {
      if (ar.succeeded()) {
        s.probeOk(id, listed(ar.result()), now);
      } else {
        s.probeFailed(id, now);
      }
      return null;
    }));
  }

  /** The task ids a node's health answer lists as held, or {@code null} when it does not say. */
  private static List<String> listed(JsonObject health) {
    Object v = health == null ? null : health.getValue("running_task_ids");
    if (!(v instanceof JsonArray a) || a.size() > 4096) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof String s) || !io.heady.common.protocol.Fields.ID.matcher(s).matches()) {
        return null;
      }
      out.add(s);
    }
    return out;
  }
}
