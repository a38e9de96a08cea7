package io.heady.manager.api;

import io.heady.common.identity.Seal;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.ext.web.RoutingContext;

/**
 * Who an agent's HTTP request comes from: the enrolled node whose pair key sealed it ({@code Authorization:
 * Heady f=<node>, ts, n, sig}). The header is checked first (an enrolled, unrevoked node, a time in the
 * window), then the seal against the method, path and body. A join token is no credential here.
 */
final class NodeCredentials {
  private final Seal seal;

  NodeCredentials(Seal seal) {
    this.seal = seal;
  }

  /** The node's id, or {@code null} after answering 401. */
  String authenticate(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    try {
      Seal.Claim claim = seal.claim(header);
      if (claim == null) {
        Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, "this route needs an enrolled node's credential "
            + "(Authorization: Heady …); a join token only enrolls a node (POST /api/cluster/enroll)"));
        return null;
      }
      byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
      return seal.verify(claim, rc.request().method().name(), rc.request().uri(), body);
    } catch (Seal.Refused e) {
      Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, "node credential refused: " + e.getMessage()));
      return null;
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
