package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Declares routes together with the token each needs, and remembers them, so a test can list every route
 * and prove each one is guarded.
 */
public final class Routes {
  /** Where the guard leaves the {@link Tokens.Match} of an admitted request. */
  static final String MATCH = "heady.token";
  /** Where the guard leaves the client's identity for rate limits: token kind and generation, and address. */
  static final String CLIENT = "heady.client";
  /** Where the guard leaves the id of the enrolled node a request came from. */
  static final String NODE = "heady.node";

  /** One declared route and the token it requires ({@code null}: open). */
  public record Declared(String method, String path, Tokens.Kind needs) {}

  private final Router router;
  private final Tokens tokens;
  private final List<Declared> declared = new ArrayList<>();
  private final boolean openHealth;
  private NodeCredentials nodes;

  Routes(Router router, Tokens tokens) {
    this(router, tokens, true);
  }

  /** @param openHealth {@code open-health}: whether health and metrics routes need no token */
  Routes(Router router, Tokens tokens, boolean openHealth) {
    this.router = router;
    this.tokens = tokens;
    this.openHealth = openHealth;
  }

  /** Checks node credentials for the routes declared with {@link #node}. */
  Routes nodes(NodeCredentials n) {
    this.nodes = n;
    return this;
  }

  /**
   * A route for enrollment only: it needs the current join token (not the previous one of a rotation: a
   * rotated join token enrolls nothing, at once).
   */
  void enroll(String method, String path, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, Tokens.Kind.JOIN));
    router.route(HttpMethod.valueOf(method), path).handler(rc -> guard(rc, Tokens.Kind.JOIN, false)).handler(rc -> {
      Tokens.Match m = rc.get(MATCH);
      if (m == null || m.previous()) {
        Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, "that join token was rotated out; enroll with the"
            + " current one"));
      } else {
        rc.next();
      }
    }).handler(ApiVerticle.safe(h));
  }

  /**
   * A route for agents: it needs the calling node's own credential (a request sealed with its pair key),
   * and leaves the node's id at {@link #NODE}. A join token is refused here.
   */
  void node(String method, String path, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, Tokens.Kind.NODE));
    router.route(HttpMethod.valueOf(method), path).handler(rc -> {
      String id = nodes == null ? null : nodes.authenticate(rc);
      if (id != null) {
        rc.put(NODE, id);
        rc.put(CLIENT, "NODE/" + id);
        rc.next();
      } else if (!rc.response().ended()) {
        Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, "this route is for enrolled nodes"));
      }
    }).handler(ApiVerticle.safe(h));
  }

  void admin(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Tokens.Kind.ADMIN, h);
  }

  /**
   * Declares a route that needs no token, deliberately. Only for content that is no secret: the installer
   * downloads under {@code /install/*} must work with a bare {@code curl} on a new machine, which holds only the
   * join token and hands it to the script, not to curl.
   */
  void open(String method, String path, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, null));
    router.route(HttpMethod.valueOf(method), path).handler(ApiVerticle.safe(h));
  }

  /** Health and metrics: open by default; with {@code open-health=false} they need the admin token. */
  void health(String path, Handler<RoutingContext> h) {
    if (openHealth) {
      declared.add(new Declared("GET", path, null));
      router.get(path).handler(ApiVerticle.safe(h));
    } else {
      add("GET", path, Tokens.Kind.ADMIN, false, h);
    }
  }

  /**
   * An admin route that also takes the token from {@code ?token=}, for browsers' {@code EventSource}, which
   * cannot send headers. Only for read-only streams: a token in a URL may end up in a history or a proxy log.
   */
  void adminStream(String method, String path, Handler<RoutingContext> h) {
    add(method, path, Tokens.Kind.ADMIN, true, h);
  }

  private void add(String method, String path, Tokens.Kind needs, Handler<RoutingContext> h) {
    add(method, path, needs, false, h);
  }

  private void add(String method, String path, Tokens.Kind needs, boolean queryToken, Handler<RoutingContext> h) {
    declared.add(new Declared(method, path, needs));
    router.route(HttpMethod.valueOf(method), path).handler(rc -> guard(rc, needs, queryToken))
        .handler(ApiVerticle.safe(h));
  }

  private void guard(RoutingContext rc, Tokens.Kind needs, boolean queryToken) {
    String auth = rc.request().getHeader("Authorization");
    String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim()
        : null;
    if (presented == null && queryToken) {
      try {
        presented = rc.request().getParam("token"); // compared in constant time like the header, below
      } catch (RuntimeException e) {
        Replies.error(rc, new ApiException(ErrorCode.INVALID_FIELD, "the query string is not valid",
            new io.vertx.core.json.JsonObject().put("field", "query")));
        return;
      }
    }
    Tokens.Match match = tokens.match(presented);
    Tokens.Kind kind = match.kind();
    if (kind == Tokens.Kind.NONE) {
      Replies.error(rc, new ApiException(ErrorCode.UNAUTHORIZED, presented == null
          ? "this route needs Authorization: Bearer <token>" : "the token is not valid for this cluster"));
    } else if (kind != needs) {
      Replies.error(rc, new ApiException(ErrorCode.FORBIDDEN, "this route needs the "
          + needs.name().toLowerCase(java.util.Locale.ROOT) + " token, not the "
          + kind.name().toLowerCase(java.util.Locale.ROOT) + " token"));
    } else {
      rc.put(MATCH, match);
      rc.put(CLIENT, match.kind() + "/" + match.generation() + "@" + remoteHost(rc));
      try {
        rc.queryParams();
      } catch (RuntimeException e) {
        // why: a malformed query (bad percent-encoding) is the client's mistake, not a 500
        Replies.error(rc, new ApiException(ErrorCode.INVALID_FIELD, "the query string is not valid",
            new io.vertx.core.json.JsonObject().put("field", "query")));
        return;
      }
      rc.next();
    }
  }

  private static String remoteHost(RoutingContext rc) {
    var a = rc.request().remoteAddress();
    return a == null ? "?" : a.hostAddress();
  }

  public List<Declared> declared() {
    return Collections.unmodifiableList(declared);
  }
}
