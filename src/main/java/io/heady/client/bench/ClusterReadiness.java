package io.heady.client.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits, for a {@link LocalCluster}, until what it started can be used, as a user would see it: the manager's
 * token files and {@code /health/ready}, then every agent an {@code active} node. Each wait has a deadline and
 * fails at once, with the process's last lines, when what it waits for has exited.
 */
final class ClusterReadiness {
  /** The manager's tokens, read from its data folder. */
  record Tokens(String admin, String join) {}

  private final ClusterProcesses processes;

  ClusterReadiness(ClusterProcesses processes) {
    this.processes = processes;
  }

  /** Waits (at most 90 s) for the manager's token files, then for it to be ready; answers the tokens. */
  Tokens manager(Process manager, Path data, String url) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(data.resolve("admin.token")) || !Files.exists(data.resolve("join.token"))) {
      processes.alive(manager, "manager");
      ClusterProcesses.pause(deadline, "the manager's token files");
    }
    Tokens t = new Tokens(Files.readString(data.resolve("admin.token")).trim(),
        Files.readString(data.resolve("join.token")).trim());
    AdminHttp admin = new AdminHttp(url, t.admin());
    while (admin.get("/health/ready").status() != 200) {
      processes.alive(manager, "manager");
      ClusterProcesses.pause(deadline, "the manager to be ready");
    }
    return t;
  }

  /** Waits (at most 120 s) until the manager lists every one of these agents as an active node. */
  void agents(String url, String adminToken, List<Process> agents, List<String> ids) throws InterruptedException {
    AdminHttp admin = new AdminHttp(url, adminToken);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      for (int i = 0; i < agents.size(); i++) {
        processes.alive(agents.get(i), ids.get(i));
      }
      AdminHttp.Res r = admin.get("/api/cluster/nodes");
      if (r.ok() && r.json() != null) {
        JsonArray nodes = r.json().getJsonArray("nodes", new JsonArray());
        int active = 0;
        for (Object o : nodes) {
          JsonObject n = (JsonObject) o;
          if (ids.contains(n.getString("node_id")) && "active".equals(n.getString("status"))) {
            active++;
          }
        }
        if (active == agents.size()) {
          return;
        }
      }
      ClusterProcesses.pause(deadline, "all " + agents.size() + " agents to be active nodes");
    }
  }
}
