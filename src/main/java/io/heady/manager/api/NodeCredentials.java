package io.heady.manager.api;

import io.heady.common.http.Verdict;
import io.heady.common.identity.Seal;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.ext.web.RoutingContext;

/**
 * Who an agent's HTTP request comes from: the enrolled node whose pair key sealed it ({@code Authorization:
 * Heady f=<node>, ts, n, h, sig}). The whole seal is checked on the head (an enrolled, unrevoked node, a time
 * in the window, the MAC over the method, path and the body's digest, a new nonce), before any body byte is
 * read; then the body against that digest. A join token is no credential here.
 */
final class NodeCredentials {
  static final String CLAIMED = "heady.node.claimed";
  private static final String CLAIM = "heady.node.claim";
  private final Seal seal;

  NodeCredentials(Seal seal) {
    this.seal = seal;
  }

  /** The head's claim: admitted when the seal of an enrolled node over this request's head holds. */
  Verdict claim(RoutingContext rc) {
    try {
      Seal.Claim c = seal.claim(rc.request().getHeader("Authorization"), rc.request().method().name(),
          rc.request().uri());
      if (c == null) {
        return Verdict.unauthorized("this route needs an enrolled node's credential (Authorization: Heady …); a"
            + " join token only enrolls a node (POST /api/cluster/enroll)");
      }
      rc.put(CLAIM, c);
      rc.put(CLAIMED, c.from());
      return Verdict.withCredential();
    } catch (Seal.Refused e) {
      return Verdict.unauthorized("node credential refused: " + e.getMessage());
    }
  }

  /** The seal over the method, path and body (once read); answers 401 and returns false when it fails. */
  boolean verify(RoutingContext rc) {
    Seal.Claim c = rc.get(CLAIM);
    byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    try {
      rc.put(Routes.NODE, seal.verify(c, rc.request().method().name(), rc.request().uri(), body));
      return true;
    } catch (Seal.Refused | NullPointerException e) {
      Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, "node credential refused: "
          + (e instanceof Seal.Refused ? e.getMessage() : "none")));
      return false;
    }
  }

  /** Refuses (403) a request about another node than the one that sent it. */
  static void sameNode(RoutingContext rc, String claimed) {
    String from = rc.get(Routes.NODE);
    if (from == null || !from.equals(claimed)) {
      throw new ApiException(ErrorCode.FORBIDDEN, "node " + from + " may only speak for itself, not for " + claimed,
          new io.vertx.core.json.JsonObject().put("node_id", claimed));
    }
  }
}
