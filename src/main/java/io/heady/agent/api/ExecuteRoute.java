package io.heady.agent.api;

import io.heady.common.exec.TaskSlots;
import io.heady.common.node.DispatchAnswer;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.TaskSpec;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/node/execute {command | argv, env, cwd, timeout_ms, limits, run_as}}: runs now, in one of
 * this node's task slots (429 when they are all busy), with the same timeout, containment, kill and output caps
 * as dispatched work, and answers when it ends with the attempt's result, usage and enforcement. A client that
 * hangs up stops it. Who may call it is decided before ({@link NodeCallers#execute}).
 */
final class ExecuteRoute implements Handler<RoutingContext> {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String nodeId;
  private final TaskSlots slots;
  private final long defaultTimeoutMs;

  /** @param defaultTimeoutMs an execute's timeout when its body names none */
  ExecuteRoute(String nodeId, TaskSlots slots, long defaultTimeoutMs) {
    this.nodeId = nodeId;
    this.slots = slots;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  @Override
  public void handle(RoutingContext rc) {
    JsonObject body = NodeReplies.object(rc);
    if (body == null) {
      return;
    }
    TaskSpec spec;
    try {
      spec = TaskSpec.fromJson(body.copy().put("type", "shell"));
    } catch (InvalidInputException e) {
      NodeReplies.json(rc, 400, new JsonObject().put("error", new JsonObject().put("code", "INVALID_FIELD")
          .put("message", e.getMessage()).put("details", new JsonObject().put("field", e.field()))));
      return;
    }
    if (!spec.hasCommand()) {
      NodeReplies.error(rc, 400, "INVALID_FIELD", "give command or argv");
      return;
    }
    if (!spec.secrets().isEmpty()) {
      // why: secrets live with the manager and reach a node only sealed into a dispatch; a node has none to give
      NodeReplies.json(rc, 400, new JsonObject().put("error", new JsonObject().put("code", "INVALID_FIELD")
          .put("message", "a node holds no secrets: run tasks that name secrets through the manager")
          .put("details", new JsonObject().put("field", "secrets"))));
      return;
    }
    byte[] raw = new byte[12];
    RANDOM.nextBytes(raw);
    String id = "exec-" + HexFormat.of().formatHex(raw);
    long timeout = spec.timeoutMs() > 0 ? spec.timeoutMs() : defaultTimeoutMs;
    // why: the same containment as dispatched work: its limits hold, and run_as only from --task-users
    Dispatch d = new Dispatch(id, id, 1, "execute", "P0", spec.command(), spec.argv(), spec.env(), spec.cwd(),
        timeout, false, null, spec.limits(), spec.runAs(), false, Map.of());
    Context ctx = rc.vertx().getOrCreateContext();
    AtomicBoolean done = new AtomicBoolean();
    TaskSlots.Admission a = slots.accept(d, new TaskSlots.Reporter() {
      @Override
      public void started(Dispatch x) {}

      @Override
      public void finished(Completion c) {
        done.set(true);
        ctx.runOnContext(v -> {
          JsonObject out = c.toJson();
          out.remove("lease_id");
          out.remove("node_id");
          out.remove("task_id");
          NodeReplies.json(rc, 200, out.put("exec_id", id).put("node_id", nodeId));
        });
      }
    });
    if (a == TaskSlots.Admission.ACCEPTED) {
      rc.response().closeHandler(v -> {
        if (!done.get()) {
          slots.cancel(id, id);
        }
      });
      return;
    }
    DispatchAnswer refused = DispatchAnswer.of(TaskSlots.status(a));
    NodeReplies.error(rc, refused.status(), refused.code(), a == TaskSlots.Admission.DUPLICATE
        ? "an execute with this id runs already" : refused.message());
  }
}
