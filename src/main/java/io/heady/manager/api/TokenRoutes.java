package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.common.protocol.InvalidInputException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens, for admins: {@code POST /api/cluster/tokens/rotate {kind: join|admin}} writes a new join or admin
 * token to its file and answers it once (the old one stays valid for {@code --token-grace-sec});
 * {@code GET /api/cluster/tokens} lists the named tokens, {@code POST /api/cluster/tokens {name, role}} makes
 * one (its secret is answered once), {@code DELETE /api/cluster/tokens/:name} revokes one at once. And for
 * any caller, {@code GET /api/cluster/whoami}: which token it presented and what it may do.
 */
final class TokenRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRoutes.class);
  private final Vertx vertx;
  private final Tokens tokens;
  private final NamedTokens named;

  TokenRoutes(Vertx vertx, Tokens tokens, NamedTokens named) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.named = named;
  }

  void mount(Routes r) {
    r.admin("POST", "/api/cluster/tokens/rotate", this::rotate);
    r.admin("GET", "/api/cluster/tokens", rc -> {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      named.list().forEach(i -> out.add(i.toJson()));
      Replies.json(rc, 200, new JsonObject().put("tokens", out).put("count", out.size()));
    });
    r.admin("POST", "/api/cluster/tokens", this::create);
    r.admin("DELETE", "/api/cluster/tokens/:name", this::revoke);
    r.any("GET", "/api/cluster/whoami", rc -> Replies.json(rc, 200, ((Caller) rc.get(Routes.CALLER)).toJson()));
  }

  private void create(RoutingContext rc) {
    JsonObject b = Replies.body(rc);
    String name = Fields.reqString(b, "name", 64);
    Object rawRole = b.getValue("role");
    Role role = rawRole instanceof String s ? Role.parse(s) : null;
    if (role == null) {
      throw new InvalidInputException("role", "role must be viewer, operator or admin");
    }
    Caller by = rc.get(Routes.CALLER);
    vertx.executeBlocking(() -> named.create(name, role)).onComplete(ar -> {
      if (ar.failed()) {
        Throwable t = ar.cause();
        Replies.error(rc, t instanceof IllegalArgumentException
            ? new ApiException(ErrorCode.INVALID_FIELD, t.getMessage(), new JsonObject().put("field", "name"))
            : t instanceof IllegalStateException
                ? new ApiException(ErrorCode.CONFLICT, t.getMessage(), new JsonObject().put("name", name))
                : t);
        return;
      }
      NamedTokens.Created c = ar.result();
      LOG.warn("token '{}' ({}) was created by '{}'", name, role.wire(), by.name());
      rc.response().putHeader("Cache-Control", "no-store");
      Replies.json(rc, 201, c.info().toJson().put("token", c.secret())
          .put("note", "this is the only time the token is shown; the manager keeps only its SHA-256 digest"));
    });
  }

  private void revoke(RoutingContext rc) {
    String name = rc.pathParam("name");
    if (name == null || !Fields.ID.matcher(name).matches()) {
      throw new InvalidInputException("name", "a token name must match [A-Za-z0-9._-]{1,64}");
    }
    Caller by = rc.get(Routes.CALLER);
    vertx.executeBlocking(() -> named.revoke(name)).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
      } else if (!ar.result()) {
        Replies.error(rc, new ApiException(ErrorCode.NOT_FOUND, "no named token " + name
            + " (heady token list shows them)", new JsonObject().put("name", name)));
      } else {
        LOG.warn("token '{}' was revoked by '{}'", name, by.name());
        Replies.json(rc, 200, new JsonObject().put("name", name).put("revoked", true));
      }
    });
  }

  private void rotate(RoutingContext rc) {
    JsonObject b = Replies.body(rc);
    String kind = Fields.reqString(b, "kind", 16);
    Tokens.Kind k = switch (kind.toLowerCase(Locale.ROOT)) {
      case "join" -> Tokens.Kind.JOIN;
      case "admin" -> Tokens.Kind.ADMIN;
      default -> throw new InvalidInputException("kind", "kind must be join or admin");
    };
    vertx.executeBlocking(() -> tokens.rotate(k)).onComplete(ar -> {
      if (ar.failed()) {
        Throwable t = ar.cause();
        Replies.error(rc, t instanceof IllegalStateException
            ? new ApiException(ErrorCode.CONFLICT, t.getMessage(), new JsonObject().put("kind", kind))
            : t);
        return;
      }
      Tokens.Rotation x = ar.result();
      String name = k.name().toLowerCase(Locale.ROOT);
      LOG.warn("the {} token was rotated (generation {}); the old one is valid until {}", name, x.generation(),
          x.previousValidUntil() == null ? "now (no grace)" : x.previousValidUntil());
      rc.response().putHeader("Cache-Control", "no-store");
      Replies.json(rc, 200, new JsonObject()
          .put("kind", name)
          .put("token", x.token())
          .put("file", x.file().toString())
          .put("generation", x.generation())
          .put("grace_sec", tokens.grace().toSeconds())
          .put("previous_valid_until", x.previousValidUntil() == null ? null : x.previousValidUntil().toString())
          .put("next_step", k == Tokens.Kind.JOIN
              ? "nothing to restart: enrolled agents do not use the join token; give the new one only to new"
                  + " installs (the old one enrolls nothing from now on)"
              : "give clients (CLI, dashboard, scripts) the new admin token before the old one expires"));
    });
  }
}
