package io.heady.client.bench.sim;

import io.heady.common.exec.TaskSlots;
import io.heady.common.identity.Seal;
import io.heady.common.node.DispatchAnswer;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The node API of every simulated node, behind one server: node {@code <id>} lives under
 * {@code /n/<id>/api/node/…}. Obeys only the manager's seal over the very request, as a real node does, reads a
 * dispatch as the agent does ({@link Dispatch#fromJson}) and gives the agent's answers ({@link DispatchAnswer}):
 * 202 accepted, 409 {@code DUPLICATE}, 429 {@code NODE_FULL}, 400 for a dispatch that does not parse.
 * An accepted task succeeds at once, or is kept while the simulator holds. Runs on the simulator's context.
 */
final class SimNodeApi {
  private final SimNodes nodes;
  private final SimManagerCalls calls;

  SimNodeApi(SimNodes nodes, SimManagerCalls calls) {
    this.nodes = nodes;
    this.calls = calls;
  }

  void serve(HttpServerRequest req) {
    String path = req.path();
    if (!path.startsWith("/n/")) {
      refuse(req, ErrorCode.NOT_FOUND, "no such node");
      return;
    }
    int slash = path.indexOf('/', 3);
    String id = slash < 0 ? path.substring(3) : path.substring(3, slash);
    String rest = slash < 0 ? "" : path.substring(slash);
    int node = nodes.index(id);
    if (node < 0) {
      refuse(req, ErrorCode.NOT_FOUND, "no such node");
      return;
    }
    Seal seal = nodes.seal(node);
    Seal.Claim claim;
    try {
      claim = seal == null ? null : seal.claim(req.getHeader("Authorization"), req.method().name(), req.uri());
    } catch (Seal.Refused e) {
      claim = null;
    }
    if (claim == null) {
      refuse(req, ErrorCode.UNAUTHORIZED, "not the manager's seal");
      return;
    }
    Seal.Claim c = claim;
    // why: only the manager's seal over this very request is obeyed, as on a real node
    req.body().onSuccess(b -> {
      try {
        seal.verify(c, req.method().name(), req.uri(), b.getBytes());
      } catch (Seal.Refused e) {
        refuse(req, ErrorCode.UNAUTHORIZED, "seal refused");
        return;
      }
      route(req, node, id, rest, b);
    });
  }

  private void route(HttpServerRequest req, int node, String id, String rest, Buffer b) {
    if (req.method() == HttpMethod.POST && rest.equals("/api/node/task")) {
      dispatched(req, node, b);
    } else if (req.method() == HttpMethod.GET && rest.equals("/api/node/health")) {
      reply(req, 200, new JsonObject().put("status", "UP").put("node_id", id).put("running", nodes.running(node))
          .put("max_concurrent", nodes.slots()));
    } else if (req.method() == HttpMethod.POST && rest.startsWith("/api/node/tasks/") && rest.endsWith("/cancel")) {
      reply(req, 200, new JsonObject().put("cancelled", true));
    } else if (req.method() == HttpMethod.GET && rest.startsWith("/api/node/tasks/") && rest.contains("/log")) {
      reply(req, 200, new JsonObject().put("data", "").put("next_offset", 0).put("eof", true));
    } else {
      refuse(req, ErrorCode.NOT_FOUND, "no route");
    }
  }

  private void dispatched(HttpServerRequest req, int node, Buffer b) {
    long now = System.nanoTime();
    JsonObject body;
    Dispatch d;
    try {
      body = new JsonObject(b);
    } catch (RuntimeException e) {
      refuse(req, ErrorCode.BAD_JSON, "the body must be a JSON object");
      return;
    }
    try {
      d = Dispatch.fromJson(body);
    } catch (RuntimeException e) {
      answer(req, DispatchAnswer.invalid(body));
      return;
    }
    DispatchAnswer a = DispatchAnswer.of(TaskSlots.status(nodes.admit(node, d.taskId(), now)));
    answer(req, a);
    if (!a.accepted()) {
      return;
    }
    if (nodes.holding()) {
      nodes.defer(new SimNodes.Held(node, d.taskId(), d.leaseId()));
    } else {
      calls.complete(node, d.taskId(), d.leaseId());
    }
  }

  private static void answer(HttpServerRequest req, DispatchAnswer a) {
    reply(req, a.status(), a.toJson());
  }

  private static void refuse(HttpServerRequest req, ErrorCode code, String message) {
    reply(req, code.status(), new ApiException(code, message).toJson());
  }

  private static void reply(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
