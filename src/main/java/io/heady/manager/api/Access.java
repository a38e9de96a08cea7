package io.heady.manager.api;

/**
 * What a route needs of its caller, declared with the route ({@link Routes}). People's routes name the least
 * {@link Role} they need; machines' routes ({@link #ENROLL}, {@link #NODE}) are checked by one method,
 * {@link Routes#agentCheck}.
 */
public enum Access {
  /** No token: health, metrics (by default), the dashboard's files, the installer's downloads. */
  OPEN(null, false),
  /** Any valid token, of a person or an agent ({@code GET /api/cluster/whoami}). */
  ANY(null, false),
  /** Reads: a person's token of any role. */
  VIEWER(Role.VIEWER, false),
  /** Submit, cancel, drain. */
  OPERATOR(Role.OPERATOR, false),
  /** Delete and reinstate nodes, rotate and manage tokens. */
  ADMIN(Role.ADMIN, false),
  /** Enrollment only: the current join token (a rotated one enrolls nothing, at once). */
  ENROLL(null, true),
  /** Enrolled nodes: the node's own seal ({@code Authorization: Heady …}); no token opens these. */
  NODE(null, true);

  private final Role role;
  private final boolean agent;

  Access(Role role, boolean agent) {
    this.role = role;
    this.agent = agent;
  }

  /** The least role a person needs, or {@code null} for routes that are not people's. */
  public Role role() {
    return role;
  }

  /** Whether the caller is a machine of the cluster (checked by {@link Routes#agentCheck}). */
  public boolean agent() {
    return agent;
  }
}
