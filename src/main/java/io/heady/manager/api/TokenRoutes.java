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
 * {@code POST /api/cluster/tokens/rotate {kind: join|admin}} (admin token): a new token is written to its
 * file and answered once; the old one stays valid for {@code --token-grace-sec}.
 */
final class TokenRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRoutes.class);
  private final Vertx vertx;
  private final Tokens tokens;

  TokenRoutes(Vertx vertx, Tokens tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
  }

  void mount(Routes r) {
    r.admin("POST", "/api/cluster/tokens/rotate", this::rotate);
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
              ? "restart every agent with the new join token before the old one expires"
              : "give clients (CLI, dashboard, scripts) the new admin token before the old one expires"));
    });
  }
}
