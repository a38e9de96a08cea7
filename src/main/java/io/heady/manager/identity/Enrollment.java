package io.heady.manager.identity;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One node's enrollment: the id it holds, the public key bound to it, and where it stands.
 *
 * @param fingerprint the key's SHA-256, what an operator compares before approving
 * @param address where the enrollment came from (for the operator deciding on it)
 * @param registeredAt when the node first registered with its credential, or {@code null} while it has not: an
 *     enrollment that never registers is forgotten after a while (see {@link EnrollmentDesk})
 */
public record Enrollment(String nodeId, String name, String publicKey, String fingerprint, Status status,
    Instant requestedAt, Instant decidedAt, String address, Instant registeredAt) {

  /** Where an enrollment stands. */
  public enum Status {
    /** Waiting for an operator (the manager runs with {@code --approve-nodes}). */
    PENDING_APPROVAL,
    /** The node holds a certificate and talks with its pair key. */
    ENROLLED,
    /** An operator revoked it: nothing it sends is accepted, and its key enrolls nothing again. */
    REVOKED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public Enrollment with(Status s, Instant at) {
    return new Enrollment(nodeId, name, publicKey, fingerprint, s, requestedAt, at, address, registeredAt);
  }

  /** The node registered for the first time. */
  public Enrollment registered(Instant at) {
    return new Enrollment(nodeId, name, publicKey, fingerprint, status, requestedAt, decidedAt, address, at);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("node_id", nodeId)
        .put("name", name)
        .put("public_key", publicKey)
        .put("fingerprint", fingerprint)
        .put("status", status.wire())
        .put("requested_at", requestedAt.toString())
        .put("decided_at", decidedAt == null ? null : decidedAt.toString())
        .put("address", address)
        .put("registered_at", registeredAt == null ? null : registeredAt.toString());
  }

  public static Enrollment fromJson(JsonObject j) {
    Status status = Status.fromWire(j.getString("status"));
    Instant decided = j.getString("decided_at") == null ? null : Instant.parse(j.getString("decided_at"));
    Instant registered = j.getString("registered_at") == null ? null : Instant.parse(j.getString("registered_at"));
    if (!j.containsKey("registered_at") && status == Status.ENROLLED) {
      // why: kept before enrollments recorded registration; such a node is taken as registered, never expired
      registered = decided;
    }
    return new Enrollment(j.getString("node_id"), j.getString("name"), j.getString("public_key"),
        j.getString("fingerprint"), status, Instant.parse(j.getString("requested_at")), decided,
        j.getString("address"), registered);
  }

  /** What an operator (and {@code heady nodes}) sees of it: never the key itself. */
  public JsonObject view() {
    JsonObject v = toJson();
    v.remove("public_key");
    return v;
  }
}
