package io.heady.security;

import java.util.List;

/**
 * Every authenticated route of the manager API and of the node API, with the token it needs and a request
 * that is harmless with any token (bodies that are empty or name ids that do not exist), so the end-to-end
 * auth matrix can send each one with every token. {@link RouteCoverageTest} fails when this table and the
 * routers disagree, so a new route cannot be added without the matrix covering it.
 */
public final class RouteTable {
  /**
   * What a route needs: the join token (enrollment only), an enrolled node's own seal, the manager's seal (on a
   * node), or the admin token.
   */
  public enum Needs { ENROLL, NODE, MANAGER, ADMIN }

  /**
   * One route.
   *
   * @param template as declared, with {@code :params}
   * @param path a concrete path to send
   * @param body the body to send ({@code null}: none)
   * @param stream the answer is a stream (server-sent events): only its status is read
   */
  public record Entry(String method, String template, Needs needs, String path, String body, boolean stream) {
    public String key() {
      return method + " " + template;
    }
  }

  private static Entry e(String method, String template, Needs needs, String path, String body) {
    return new Entry(method, template, needs, path, body, false);
  }

  /** The manager's routes. */
  public static final List<Entry> MANAGER = List.of(
      e("POST", "/api/cluster/enroll", Needs.ENROLL, "/api/cluster/enroll", "{}"),
      e("GET", "/api/cluster/enroll", Needs.ENROLL, "/api/cluster/enroll", null),
      e("GET", "/api/cluster/join", Needs.NODE, "/api/cluster/join", null),
      e("POST", "/api/cluster/nodes/register", Needs.NODE, "/api/cluster/nodes/register", "{}"),
      e("POST", "/api/cluster/nodes/heartbeat", Needs.NODE, "/api/cluster/nodes/heartbeat", "{}"),
      e("POST", "/api/cluster/nodes/deregister", Needs.NODE, "/api/cluster/nodes/deregister", "{}"),
      e("POST", "/api/cluster/tasks/complete", Needs.NODE, "/api/cluster/tasks/complete", "{}"),
      e("POST", "/api/cluster/tasks/progress", Needs.NODE, "/api/cluster/tasks/progress", "{}"),
      e("POST", "/api/cluster/tasks/report", Needs.NODE, "/api/cluster/tasks/report", "{}"),
      e("GET", "/api/cluster/enrollments", Needs.ADMIN, "/api/cluster/enrollments", null),
      e("POST", "/api/cluster/nodes/:id/approve", Needs.ADMIN, "/api/cluster/nodes/no-such-node/approve", null),
      e("POST", "/api/cluster/nodes/:id/revoke", Needs.ADMIN, "/api/cluster/nodes/no-such-node/revoke", null),
      e("GET", "/api/cluster/identity", Needs.ADMIN, "/api/cluster/identity", null),
      e("POST", "/api/cluster/clients/enroll", Needs.ADMIN, "/api/cluster/clients/enroll", "{}"),
      e("GET", "/api/cluster/state", Needs.ADMIN, "/api/cluster/state", null),
      e("GET", "/api/cluster/workers", Needs.ADMIN, "/api/cluster/workers", null),
      e("GET", "/api/cluster/nodes", Needs.ADMIN, "/api/cluster/nodes", null),
      e("GET", "/api/cluster/nodes/:id", Needs.ADMIN, "/api/cluster/nodes/no-such-node", null),
      e("DELETE", "/api/cluster/nodes/:id", Needs.ADMIN, "/api/cluster/nodes/no-such-node", null),
      e("POST", "/api/cluster/nodes/:id/drain", Needs.ADMIN, "/api/cluster/nodes/no-such-node/drain", "{}"),
      e("POST", "/api/cluster/nodes/:id/reinstate", Needs.ADMIN, "/api/cluster/nodes/no-such-node/reinstate", null),
      e("POST", "/api/cluster/tasks/route", Needs.ADMIN, "/api/cluster/tasks/route", "{}"),
      e("GET", "/api/cluster/tasks", Needs.ADMIN, "/api/cluster/tasks", null),
      e("GET", "/api/cluster/tasks/history", Needs.ADMIN, "/api/cluster/tasks/history", null),
      e("GET", "/api/cluster/tasks/:id", Needs.ADMIN, "/api/cluster/tasks/no-such-task", null),
      e("GET", "/api/cluster/tasks/:id/log", Needs.ADMIN, "/api/cluster/tasks/no-such-task/log", null),
      e("GET", "/api/cluster/dags/:id", Needs.ADMIN, "/api/cluster/dags/no-such-task", null),
      e("POST", "/api/cluster/tasks/:id/cancel", Needs.ADMIN, "/api/cluster/tasks/no-such-task/cancel", null),
      e("GET", "/api/cluster/can-handle/:type", Needs.ADMIN, "/api/cluster/can-handle/shell", null),
      new Entry("GET", "/api/cluster/events", Needs.ADMIN, "/api/cluster/events", null, true),
      e("POST", "/api/cluster/tokens/rotate", Needs.ADMIN, "/api/cluster/tokens/rotate", "{}"));

  /**
   * Paths served without a token, each on purpose: health and metrics (when {@code --open-health}, the
   * default), the dashboard's page and assets (it asks for the admin token itself), and the installer's
   * downloads (a new machine fetches them before it holds anything but the join token, which it does not
   * give to curl). None may contain a secret; {@code SecurityAuthMatrixIT} checks that.
   */
  public static final List<String> OPEN = List.of("/health/live", "/health/ready", "/metrics", "/", "/assets/",
      "/install/agent.sh", "/install/heady.jar", "/install/heady.jar.sha256", "/install/launcher/:file",
      "/install/systemd/:file");

  /** The node API's routes. */
  public static final List<Entry> NODE = List.of(
      e("GET", "/api/node/health", Needs.MANAGER, "/api/node/health", null),
      e("GET", "/api/node/system", Needs.MANAGER, "/api/node/system", null),
      e("GET", "/api/node/tasks", Needs.MANAGER, "/api/node/tasks", null),
      e("POST", "/api/node/task", Needs.MANAGER, "/api/node/task", "{}"),
      e("GET", "/api/node/tasks/:id/log", Needs.MANAGER, "/api/node/tasks/no-such-task/log", null),
      e("POST", "/api/node/tasks/:id/cancel", Needs.MANAGER, "/api/node/tasks/no-such-task/cancel", "{}"),
      e("POST", "/api/node/execute", Needs.ADMIN, "/api/node/execute", "{}"));

  private RouteTable() {}
}
