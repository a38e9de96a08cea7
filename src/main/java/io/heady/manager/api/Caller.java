package io.heady.manager.api;

import io.vertx.core.json.JsonObject;

/**
 * Who a request comes from, as its token says.
 *
 * @param kind which kind of token
 * @param role what a person may do ({@code null} for an agent or nobody)
 * @param name the named token's name, {@code admin} for the admin token, {@code null} otherwise
 * @param match the join or admin token's generation (for rotation), {@link Tokens.Match#NONE} for a named token
 */
public record Caller(Kind kind, Role role, String name, Tokens.Match match) {
  /** Which kind of token a caller presented. */
  public enum Kind {
    /** The admin token of {@code <data-dir>/admin.token}. */
    ADMIN,
    /** A named token ({@code heady token create}). */
    NAMED,
    /** The join token (agents). */
    JOIN,
    /** None, or one this cluster does not know. */
    NONE
  }

  public static final Caller NONE = new Caller(Kind.NONE, null, null, Tokens.Match.NONE);

  /** A person (the admin token or a named token). */
  public boolean person() {
    return kind == Kind.ADMIN || kind == Kind.NAMED;
  }

  /** Who this is for the per-client rate limit: the token (and its generation), not its secret. */
  public String key() {
    return switch (kind) {
      case NAMED -> "named/" + name;
      case ADMIN, JOIN -> kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + match.generation();
      case NONE -> "none";
    };
  }

  /** {@code GET /api/cluster/whoami}: {@code {kind, role, name, previous}}. */
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .put("role", role != null ? role.wire() : kind == Kind.JOIN ? "agent" : null)
        .put("name", name)
        .put("previous", match.previous());
  }
}
