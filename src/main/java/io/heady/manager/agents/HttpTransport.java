package io.heady.manager.agents;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes over their HTTP API ({@code <tunnel_url>/api/node/*}): http agents, and event-bus agents when the
 * bus cannot reach them. Each request carries a seal of the method, path and body with the node's pair key
 * ({@code Authorization: Heady …}): nothing reusable ever travels, so a node (or whoever stands at a URL it
 * named) learns no secret from it.
 */
final class HttpTransport implements AgentTransport {
  private final WebClient http;
  private final Seal seal;
  private final long timeoutMs;

  HttpTransport(WebClient http, Seal seal, long timeoutMs) {
    this.http = http;
    this.seal = seal;
    this.timeoutMs = timeoutMs;
  }

  static boolean reachable(NodeRecord n) {
    return n.tunnelUrl() != null;
  }

  private Future<HttpResponse<Buffer>> send(NodeRecord n, HttpMethod method, String path, Buffer body) {
    if (!reachable(n)) {
      return Future.failedFuture(new IllegalStateException("node " + n.nodeId() + " has no API URL"));
    }
    String base = n.tunnelUrl().endsWith("/") ? n.tunnelUrl().substring(0, n.tunnelUrl().length() - 1)
        : n.tunnelUrl();
    String url = base + path;
    // why: the node checks the seal against the path it receives, which includes a base path the URL has
    String signedPath = URI.create(url).getRawPath() + (URI.create(url).getRawQuery() == null ? ""
        : "?" + URI.create(url).getRawQuery());
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    String auth;
    try {
      auth = seal.header(method.name(), signedPath, bytes, n.nodeId());
    } catch (Seal.Refused e) {
      return Future.failedFuture(e);
    }
    var req = http.requestAbs(method, url).putHeader("Authorization", auth).timeout(timeoutMs);
    if (body == null) {
      return req.send();
    }
    return req.putHeader("Content-Type", "application/json").sendBuffer(body);
  }

  @Override
  public Future<Map<String, Answer>> dispatch(NodeRecord n, List<Dispatch> batch) {
    List<Future<Answer>> each = new ArrayList<>(batch.size());
    for (Dispatch d : batch) {
      each.add(send(n, HttpMethod.POST, "/api/node/task", d.toJson().toBuffer()).transform(ar -> Future.succeededFuture(
          ar.succeeded() ? new Answer(ar.result().statusCode(), "node " + n.nodeId() + " answered "
              + ar.result().statusCode(), false)
              : Answer.unreached("dispatch to " + n.nodeId() + " failed: " + ar.cause().getMessage(), false))));
    }
    return Future.join(each).transform(ar -> {
      Map<String, Answer> out = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        out.put(batch.get(i).taskId(), each.get(i).result());
      }
      return Future.succeededFuture(out);
    });
  }

  @Override
  public Future<Void> cancel(NodeRecord n, String taskId, String leaseId) {
    return send(n, HttpMethod.POST, "/api/node/tasks/" + taskId + "/cancel", new JsonObject().put("task_id", taskId)
        .put("lease_id", leaseId).toBuffer()).compose(r -> r.statusCode() == 200 ? Future.succeededFuture()
        : Future.failedFuture("cancel answered " + r.statusCode()));
  }

  @Override
  public Future<JsonObject> health(NodeRecord n) {
    return send(n, HttpMethod.GET, "/api/node/health", null).compose(r -> r.statusCode() == 200
        ? Future.succeededFuture(r.bodyAsJsonObject()) : Future.failedFuture("health answered " + r.statusCode()));
  }

  @Override
  public Future<JsonObject> log(NodeRecord n, String taskId, long offset, int max) {
    return send(n, HttpMethod.GET, "/api/node/tasks/" + taskId + "/log?offset=" + offset + "&max=" + max, null)
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject())
            : Future.failedFuture("node answered " + r.statusCode()));
  }
}
