package io.heady.security;

import java.util.List;

/**
 * Every authenticated route of the manager API and of the node API, with what it needs and a request that is
 * harmless with any token (bodies that are empty or name ids that do not exist), so the end-to-end auth
 * matrices can send each one with every token. {@link RouteCoverageTest} fails when this table and the
 * routers disagree, so a new route cannot be added without the matrices covering it.
 */
public final class RouteTable {
  /**
   * What a route needs, by the names of {@code io.heady.manager.api.Access} (manager) and
   * {@code NodeApiVerticle.Needs} (node): any valid token, a person's role, the join token (enrollment only),
   * an enrolled node's own seal, or the manager's seal (on a node).
   */
  public enum Needs {
    ANY, VIEWER, OPERATOR, ADMIN, ENROLL, NODE, MANAGER;

    /**
     * Whether a credential may use a route that needs this: {@code join}, {@code viewer}, {@code operator},
     * {@code admin} (the admin token and admin-role named tokens alike), {@code node} (an enrolled node's seal)
     * or {@code manager} (the manager's seal, on a node).
     */
    public boolean allows(String credential) {
      int rank = List.of("viewer", "operator", "admin").indexOf(credential);
      return switch (this) {
        case ANY -> rank >= 0 || credential.equals("join");
        case ENROLL -> credential.equals("join");
        case NODE -> credential.equals("node");
        case MANAGER -> credential.equals("manager");
        case VIEWER -> rank >= 0;
        case OPERATOR -> rank >= 1;
        case ADMIN -> rank >= 2;
      };
    }
  }

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
      e("GET", "/api/cluster/enrollments", Needs.VIEWER, "/api/cluster/enrollments", null),
      e("POST", "/api/cluster/nodes/:id/approve", Needs.ADMIN, "/api/cluster/nodes/no-such-node/approve", null),
      e("POST", "/api/cluster/nodes/:id/revoke", Needs.ADMIN, "/api/cluster/nodes/no-such-node/revoke", null),
      e("GET", "/api/cluster/identity", Needs.VIEWER, "/api/cluster/identity", null),
      e("POST", "/api/cluster/clients/enroll", Needs.ADMIN, "/api/cluster/clients/enroll", "{}"),
      e("GET", "/api/cluster/state", Needs.VIEWER, "/api/cluster/state", null),
      e("GET", "/api/cluster/workers", Needs.VIEWER, "/api/cluster/workers", null),
      e("GET", "/api/cluster/nodes", Needs.VIEWER, "/api/cluster/nodes", null),
      e("GET", "/api/cluster/nodes/:id", Needs.VIEWER, "/api/cluster/nodes/no-such-node", null),
      e("DELETE", "/api/cluster/nodes/:id", Needs.ADMIN, "/api/cluster/nodes/no-such-node", null),
      e("POST", "/api/cluster/nodes/:id/drain", Needs.OPERATOR, "/api/cluster/nodes/no-such-node/drain", "{}"),
      e("POST", "/api/cluster/nodes/:id/reinstate", Needs.ADMIN, "/api/cluster/nodes/no-such-node/reinstate", null),
      e("POST", "/api/cluster/tasks/route", Needs.OPERATOR, "/api/cluster/tasks/route", "{}"),
      e("GET", "/api/cluster/tasks", Needs.VIEWER, "/api/cluster/tasks", null),
      e("GET", "/api/cluster/tasks/history", Needs.VIEWER, "/api/cluster/tasks/history", null),
      e("GET", "/api/cluster/tasks/:id", Needs.VIEWER, "/api/cluster/tasks/no-such-task", null),
      e("GET", "/api/cluster/tasks/:id/log", Needs.VIEWER, "/api/cluster/tasks/no-such-task/log", null),
      e("GET", "/api/cluster/tasks/:id/explain", Needs.VIEWER, "/api/cluster/tasks/no-such-task/explain", null),
      e("GET", "/api/cluster/dags/:id", Needs.VIEWER, "/api/cluster/dags/no-such-task", null),
      e("POST", "/api/cluster/tasks/:id/cancel", Needs.OPERATOR, "/api/cluster/tasks/no-such-task/cancel", null),
      e("GET", "/api/cluster/can-handle/:type", Needs.VIEWER, "/api/cluster/can-handle/shell", null),
      new Entry("GET", "/api/cluster/events", Needs.VIEWER, "/api/cluster/events", null, true),
      e("POST", "/api/cluster/tokens/rotate", Needs.ADMIN, "/api/cluster/tokens/rotate", "{}"),
      e("GET", "/api/cluster/tokens", Needs.ADMIN, "/api/cluster/tokens", null),
      e("POST", "/api/cluster/tokens", Needs.ADMIN, "/api/cluster/tokens", "{}"),
      e("DELETE", "/api/cluster/tokens/:name", Needs.ADMIN, "/api/cluster/tokens/no-such-token", null),
      e("GET", "/api/cluster/secrets", Needs.OPERATOR, "/api/cluster/secrets", null),
      e("PUT", "/api/cluster/secrets/:name", Needs.ADMIN, "/api/cluster/secrets/NO_SUCH_SECRET", "{}"),
      e("DELETE", "/api/cluster/secrets/:name", Needs.ADMIN, "/api/cluster/secrets/NO_SUCH_SECRET", null),
      e("GET", "/api/cluster/whoami", Needs.ANY, "/api/cluster/whoami", null));

  /**
   * Paths served without a token, each on purpose: health and metrics (when {@code --open-health}, the
   * default), the dashboard's page and assets (it asks for a token itself), and the installer's downloads (a
   * new machine fetches them before it holds anything but the join token, which it does not give to curl).
   * None may contain a secret; {@code SecurityAuthMatrixIT} checks that.
   */
  public static final List<String> OPEN = List.of("/health/live", "/health/ready", "/metrics", "/", "/assets/",
      "/install/agent.sh", "/install/heady.py", "/install/heady.jar", "/install/heady.jar.sha256",
      "/install/launcher/:file", "/install/systemd/:file");

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
