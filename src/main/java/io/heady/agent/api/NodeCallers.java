package io.heady.agent.api;

import io.heady.common.http.Verdict;
import io.heady.common.identity.Seal;
import io.heady.common.identity.TokenCheck;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling the node API, from the request head: the manager (its seal, with this node's pair key; the
 * seal is checked against the body once that is read), or a person with the cluster's admin token (compared
 * as {@link TokenCheck} compares every token heady knows). Nobody else: the join token runs nothing here.
 */
final class NodeCallers {
  private static final String CLAIM = "heady.claim";
  private static final String MANAGER_ONLY = "only the manager may call the node API (a join token runs nothing"
      + " here)";

  private final Seal seal;
  private final byte[] adminDigest;
  private final boolean executeAvailable;

  /**
   * @param adminToken the cluster's admin token, or {@code null}/blank: nobody is an admin here
   * @param executeAvailable whether {@code POST /api/node/execute} runs anything
   */
  NodeCallers(Seal seal, String adminToken, boolean executeAvailable) {
    this.seal = seal;
    this.adminDigest = adminToken == null || adminToken.isBlank() ? null : TokenCheck.digest(adminToken);
    this.executeAvailable = executeAvailable;
  }

  /** Whether the request presents the admin token as its bearer token. */
  boolean admin(RoutingContext rc) {
    return TokenCheck.matches(TokenCheck.presented(TokenCheck.bearer(rc.request().getHeader("Authorization"))),
        adminDigest);
  }

  /**
   * The manager's seal over the request's head: the scheme, the sender (only the manager holds a key here), a
   * time in the window, the MAC over the method, path and the body's digest, a new nonce. The body is checked
   * against that digest once it is read ({@link #sealOpens}).
   */
  Verdict manager(RoutingContext rc) {
    if (rc.get(CLAIM) != null) {
      return Verdict.withCredential(); // why: checked already (the blanket check); a second claim is a replay
    }
    try {
      Seal.Claim c = seal.claim(rc.request().getHeader("Authorization"), rc.request().method().name(),
          rc.request().uri());
      if (c == null) {
        return admin(rc) ? Verdict.forbidden("this route is the manager's; the admin token is for"
            + " POST /api/node/execute") : Verdict.unauthorized(MANAGER_ONLY);
      }
      rc.put(CLAIM, c);
      return Verdict.withCredential();
    } catch (Seal.Refused e) {
      return Verdict.unauthorized("the manager's seal was refused: " + e.getMessage());
    }
  }

  /** The manager's seal over the method, path and body, once the body is read; answers 401 when it fails. */
  void sealOpens(RoutingContext rc) {
    Seal.Claim c = rc.get(CLAIM);
    byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    try {
      seal.verify(c, rc.request().method().name(), rc.request().uri(), body);
      rc.next();
    } catch (Seal.Refused | NullPointerException e) {
      NodeReplies.error(rc, 401, "UNAUTHORIZED", "the manager's seal was refused: " + (e instanceof Seal.Refused
          ? e.getMessage() : "none"));
    }
  }

  /**
   * The blanket check of every {@code /api/node/*} path, declared or not: a refusal unless the request carries
   * a credential some route of this API knows (whatever {@code managerCheck} accepts, or the admin token);
   * {@code null} lets it through to the route's own check. It reads the head only.
   */
  Verdict anyKnown(RoutingContext rc, Verdict managerCheck) {
    if (managerCheck.status() != 401 || admin(rc)) {
      return null;
    }
    return Verdict.unauthorized(MANAGER_ONLY + (rc.request().path().startsWith("/api/node/execute")
        && !executeAvailable ? "; execute is off on this node" : "; execute needs Authorization: Bearer <admin"
        + " token>"));
  }

  /** The check of execute, on the head alone: the admin token, and only where the operator enabled it. */
  Verdict execute(RoutingContext rc) {
    boolean sealed = rc.get(CLAIM) != null || manager(rc).admitted();
    boolean admin = admin(rc);
    if (!admin && !sealed) {
      return Verdict.unauthorized("execute needs Authorization: Bearer <admin token>");
    }
    if (!executeAvailable) {
      return Verdict.forbidden("EXECUTE_DISABLED", "POST /api/node/execute is off on this node; start the agent"
          + " with --execute-enabled and --admin-token (HEADY_ADMIN_TOKEN) to allow it");
    }
    if (!admin) {
      return Verdict.forbidden("execute is for people with the admin token, not for the manager");
    }
    return Verdict.withCredential();
  }
}
