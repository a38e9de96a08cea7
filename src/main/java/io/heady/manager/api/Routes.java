package io.heady.manager.api;

import io.heady.common.http.RequestGate;
import io.heady.common.http.Verdict;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Declares routes together with the {@link Access} each needs, and remembers them, so a test can list every
 * route and prove each one is guarded. Each route's chain is the {@link RequestGate}'s: the access check on
 * the request head, then the body (with the caller's limit), then the handler.
 */
public final class Routes {
  /** Where the check leaves the {@link Tokens.Match} of an agent's request (for the join token's rotation). */
  static final String MATCH = "heady.token";
  /** Where the check leaves the {@link Caller} of an admitted request. */
  static final String CALLER = "heady.caller";
  /** Where the check leaves the client's identity for rate limits: the token, and the address. */
  static final String CLIENT = "heady.client";
  /** Where an enrolled node's request leaves the node's id, once its seal opened. */
  static final String NODE = "heady.node";

  /** One declared route and what it needs. */
  public record Declared(String method, String path, Access needs) {}

  private final Router router;
  private final Callers callers;
  private final RequestGate gate;
  private final List<Declared> declared = new ArrayList<>();
  private final boolean openHealth;
  private NodeCredentials nodes;

  /** @param openHealth {@code open-health}: whether health and metrics routes need no token */
  Routes(Router router, Callers callers, RequestGate gate, boolean openHealth) {
    this.router = router;
    this.callers = callers;
    this.gate = gate;
    this.openHealth = openHealth;
  }

  /** Checks node credentials for the routes declared with {@link #node}. */
  Routes nodes(NodeCredentials n) {
    this.nodes = n;
    return this;
  }

  /** Enrollment: the current join token only. */
  void enroll(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.ENROLL, false, h);
  }

  /**
   * Enrolled nodes' routes: the node's own seal, checked on the head (an enrolled, unrevoked node, a time in
   * the window), then against the body once read; the node's id is left at {@link #NODE}.
   */
  void node(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.NODE, false, h);
  }

  /** Reads: any person's token. */
  void viewer(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.VIEWER, false, h);
  }

  /** Submit, cancel, drain. */
  void operator(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.OPERATOR, false, h);
  }

  /** Security-sensitive: node removal and reinstatement, tokens. */
  void admin(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.ADMIN, false, h);
  }

  /** Any valid token, a person's or an agent's. */
  void any(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.ANY, false, h);
  }

  /**
   * Declares a route that needs no token, deliberately. Only for content that is no secret: the installer
   * downloads under {@code /install/*} must work with a bare {@code curl} on a new machine, which holds only the
   * join token and hands it to the script, not to curl. Its body limit is the anonymous one.
   */
  void open(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.OPEN, false, h);
  }

  /** Health and metrics: open by default; with {@code open-health=false} they need a viewer's token. */
  void health(String path, Handler<RoutingContext> h) {
    add("GET", path, openHealth ? Access.OPEN : Access.VIEWER, false, h);
  }

  /**
   * A read-only stream that also takes the token from {@code ?token=}, for browsers' {@code EventSource},
   * which cannot send headers. A token in a URL may end up in a history or a proxy log, so only for reads.
   */
  void viewerStream(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Access.VIEWER, true, h);
  }

  private void add(String method, String path, Access needs, boolean queryToken, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, needs));
    var route = router.route(HttpMethod.valueOf(method), path).handler(gate.guard(rc -> check(rc, needs,
        queryToken)));
    if (needs == Access.NODE) {
      route.handler(rc -> {
        if (nodes.verify(rc)) {
          rc.next();
        }
      });
    }
    route.handler(ApiVerticle.safe(h));
  }

  /** Whether the request's head satisfies {@code needs}; an admitted caller is left in the context. */
  Verdict check(RoutingContext rc, Access needs, boolean queryToken) {
    if (needs == Access.OPEN) {
      return Verdict.anonymous();
    }
    if (needs.agent()) {
      return agentCheck(rc, needs);
    }
    String presented = bearer(rc);
    if (presented == null && queryToken) {
      try {
        presented = rc.request().getParam("token"); // compared in constant time like the header, below
      } catch (RuntimeException e) {
        return badQuery();
      }
    }
    Caller c = callers.identify(presented);
    if (c.kind() == Caller.Kind.NONE) {
      return Verdict.unauthorized(presented == null ? "this route needs Authorization: Bearer <token>"
          : "the token is not valid for this cluster");
    }
    if (needs != Access.ANY) {
      if (!c.person()) {
        return Verdict.forbidden("this route is for people: it needs a viewer, operator or admin token, not the "
            + "join token");
      }
      if (!c.role().covers(needs.role())) {
        return Verdict.forbidden("this route needs the " + needs.role().wire() + " role"
            + (needs.role() == Role.ADMIN ? "" : " or higher") + "; the token '" + c.name() + "' is a "
            + c.role().wire());
      }
    }
    return admitted(rc, c);
  }

  /**
   * The one check of the machines' routes: enrollment takes the current join token; everything else an
   * enrolled node's own seal, and no token at all.
   */
  Verdict agentCheck(RoutingContext rc, Access needs) {
    if (needs == Access.NODE) {
      Verdict v = nodes == null ? Verdict.unauthorized("no node is trusted here") : nodes.claim(rc);
      if (v.admitted()) {
        rc.put(CLIENT, "NODE/" + rc.get(NodeCredentials.CLAIMED) + "@" + remoteHost(rc));
      }
      return v;
    }
    String presented = bearer(rc);
    Caller c = callers.identify(presented);
    if (c.kind() == Caller.Kind.JOIN) {
      if (c.match().previous()) {
        return Verdict.unauthorized("that join token was rotated out; enroll with the current one");
      }
      rc.put(MATCH, c.match());
      return admitted(rc, c);
    }
    if (c.kind() == Caller.Kind.NONE) {
      return Verdict.unauthorized(presented == null ? "this route needs Authorization: Bearer <join token>"
          : "the token is not valid for this cluster");
    }
    return Verdict.forbidden("this route is for enrolling agents: it needs the join token, not the "
        + c.role().wire() + " token '" + c.name() + "'");
  }

  private Verdict admitted(RoutingContext rc, Caller c) {
    try {
      rc.queryParams();
    } catch (RuntimeException e) {
      // why: a malformed query (bad percent-encoding) is the client's mistake, not a 500
      return badQuery();
    }
    rc.put(CALLER, c);
    rc.put(CLIENT, c.key() + "@" + remoteHost(rc));
    return Verdict.withCredential();
  }

  private static Verdict badQuery() {
    return Verdict.refuse(400, "INVALID_FIELD", "the query string is not valid");
  }

  private static String bearer(RoutingContext rc) {
    return io.heady.common.identity.TokenCheck.bearer(rc.request().getHeader("Authorization"));
  }

  private static String remoteHost(RoutingContext rc) {
    var a = rc.request().remoteAddress();
    return a == null ? "?" : a.hostAddress();
  }

  public List<Declared> declared() {
    return Collections.unmodifiableList(declared);
  }
}
