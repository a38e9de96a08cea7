package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.InvalidInputException;
import io.heady.common.protocol.SecretRefs;
import io.heady.manager.secrets.SecretVault;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's secrets: {@code PUT /api/cluster/secrets/:name {value}} sets one (admin), {@code DELETE} removes
 * one (admin), {@code GET /api/cluster/secrets} lists names and times (operator: who submits tasks needs to know
 * which names exist). No route answers a value; errors never quote one, nor a piece of the body.
 */
final class SecretRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SecretRoutes.class);
  private final SecretVault vault;

  SecretRoutes(SecretVault vault) {
    this.vault = vault;
  }

  void mount(Routes r) {
    r.operator("GET", "/api/cluster/secrets", rc -> Replies.from(rc, 200, vault.list().map(all -> {
      JsonArray out = new JsonArray();
      all.forEach(i -> out.add(i.toJson()));
      return new JsonObject().put("secrets", out).put("count", out.size());
    })));
    r.admin("PUT", "/api/cluster/secrets/:name", this::set);
    r.admin("DELETE", "/api/cluster/secrets/:name", this::remove);
  }

  private void set(RoutingContext rc) {
    String name = name(rc);
    JsonObject body = body(rc);
    if (!(body.getValue("value") instanceof String value)) {
      throw new InvalidInputException("value", body.containsKey("value") ? "value must be a string"
          : "the body needs the secret's value: {\"value\": \"…\"}");
    }
    SecretRefs.checkValue(value, "value");
    Caller by = rc.get(Routes.CALLER);
    vault.set(name, value).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
        return;
      }
      SecretVault.Saved s = ar.result();
      LOG.info("secret '{}' was {} by '{}'", name, s.created() ? "created" : "replaced", by.name());
      Replies.json(rc, s.created() ? 201 : 200, s.info().toJson().put("created", s.created()));
    });
  }

  private void remove(RoutingContext rc) {
    String name = name(rc);
    Caller by = rc.get(Routes.CALLER);
    vault.remove(name).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
      } else if (!ar.result()) {
        Replies.error(rc, new ApiException(ErrorCode.NOT_FOUND, "no secret named " + name
            + " (heady secret list shows them)", new JsonObject().put("name", name)));
      } else {
        LOG.info("secret '{}' was removed by '{}'", name, by.name());
        Replies.json(rc, 200, new JsonObject().put("name", name).put("removed", true));
      }
    });
  }

  private static String name(RoutingContext rc) {
    String name = rc.pathParam("name");
    SecretRefs.checkName(name, "name");
    return name;
  }

  /** The body as an object; unlike {@link Replies#body}, a parse error never quotes the text (it holds a value). */
  private static JsonObject body(RoutingContext rc) {
    String text = rc.body() == null ? null : rc.body().asString();
    if (text == null || text.isBlank()) {
      throw new ApiException(ErrorCode.BAD_JSON, "a JSON object body is required: {\"value\": \"…\"}");
    }
    try {
      if (io.vertx.core.json.Json.decodeValue(text) instanceof JsonObject j) {
        return j;
      }
    } catch (RuntimeException e) {
      throw new ApiException(ErrorCode.BAD_JSON, "the body is not valid JSON");
    }
    throw new ApiException(ErrorCode.BAD_JSON, "the body must be a JSON object: {\"value\": \"…\"}");
  }
}
