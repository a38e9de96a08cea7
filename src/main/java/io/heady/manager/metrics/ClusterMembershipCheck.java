package io.heady.manager.metrics;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;

/**
 * Readiness of the cluster the event-bus agents join: the manager's Hazelcast member runs, is a data member,
 * and the cluster accepts members and operations ({@code ACTIVE} or {@code NO_MIGRATION}). A manager alone is
 * ready: HTTP agents and the local executor need no other member.
 */
public final class ClusterMembershipCheck implements Handler<Promise<Status>> {
  private final Supplier<ClusterMembership> view;

  public ClusterMembershipCheck(Supplier<ClusterMembership> view) {
    this.view = view;
  }

  @Override
  public void handle(Promise<Status> p) {
    p.tryComplete(evaluate(view.get()));
  }

  /** The status a view of the cluster means. */
  public static Status evaluate(ClusterMembership m) {
    JsonObject data = new JsonObject().put("state", m.state()).put("members", m.members())
        .put("lite_members", m.liteMembers());
    if (!m.running()) {
      return Status.KO(data.put("reason", "the manager's Hazelcast member is not running"));
    }
    if (m.localLite()) {
      return Status.KO(data.put("reason", "the manager is a lite member; it must hold the cluster's data"));
    }
    if (!m.state().equals("ACTIVE") && !m.state().equals("NO_MIGRATION")) {
      return Status.KO(data.put("reason", "the cluster is " + m.state() + ": agents cannot join or send"));
    }
    return Status.OK(data);
  }
}
