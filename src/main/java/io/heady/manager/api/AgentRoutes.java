package io.heady.manager.api;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.Report;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The agents' routes over HTTP: each needs the calling node's own credential, and a node speaks only for
 * itself (what it sends about another node is refused, counted nowhere).
 */
final class AgentRoutes {
  private final SchedulerVerticle scheduler;
  private final Supplier<JsonObject> joinInfo;

  AgentRoutes(SchedulerVerticle scheduler, Supplier<JsonObject> joinInfo) {
    this.scheduler = scheduler;
    this.joinInfo = joinInfo;
  }

  void mount(Routes routes) {
    routes.node("GET", "/api/cluster/join", rc -> Replies.json(rc, 200, joinInfo.get()));
    routes.node("POST", "/api/cluster/nodes/register", rc -> {
      Registration reg = Registration.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, reg.nodeId());
      scheduler.register(reg, false).onComplete(ar -> {
        if (ar.succeeded()) {
          boolean created = ar.result().getBoolean("created");
          Replies.json(rc, created ? 201 : 200, ar.result());
        } else {
          Replies.error(rc, ar.cause());
        }
      });
    });
    routes.node("POST", "/api/cluster/nodes/heartbeat", rc -> {
      Heartbeat hb = Heartbeat.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, hb.nodeId());
      Replies.from(rc, 200, scheduler.heartbeat(hb));
    });
    routes.node("POST", "/api/cluster/nodes/deregister", rc -> {
      String id = Fields.reqId(Replies.body(rc), "node_id");
      NodeCredentials.sameNode(rc, id);
      Replies.from(rc, 200, scheduler.deregister(id));
    });
    routes.node("POST", "/api/cluster/tasks/complete", rc -> {
      Completion c = Completion.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, c.nodeId());
      Replies.from(rc, 200, scheduler.complete(c));
    });
    routes.node("POST", "/api/cluster/tasks/report", rc -> {
      Report report = Report.fromJson(Replies.body(rc));
      NodeCredentials.sameNode(rc, report.nodeId());
      Replies.from(rc, 200, scheduler.report(report));
    });
    routes.node("POST", "/api/cluster/tasks/progress", rc -> {
      JsonObject b = Replies.body(rc);
      String t = Fields.reqId(b, "task_id");
      String l = Fields.reqId(b, "lease_id");
      String from = rc.get(Routes.NODE);
      Replies.from(rc, 200, scheduler.call((s, now) -> {
        s.started(from, t, l, now);
        return new JsonObject().put("accepted", true);
      }));
    });
  }
}
