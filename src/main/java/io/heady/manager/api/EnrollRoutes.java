package io.heady.manager.api;

import io.heady.common.identity.Pki;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.Fields;
import io.heady.manager.identity.Enrollment;
import io.heady.manager.identity.EnrollmentDesk;
import io.heady.manager.identity.Enrollments;
import io.heady.manager.scheduler.ClusterService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.PublicKey;
import java.time.Duration;

/**
 * Enrollment: a new agent proves the join token once and the key it made (it signs its request), and gets a
 * certificate bound to its node id, or waits for an operator ({@code --approve-nodes}). Operators approve and
 * revoke nodes, and read the cluster's CA and the managers' certificate (what event-bus clients trust).
 */
final class EnrollRoutes {
  /** How far an enrollment proof's time may be from ours. */
  static final Duration PROOF_WINDOW = Duration.ofMinutes(10);

  private final Enrollments enrollments;
  private final ClusterService cluster;
  private final java.util.function.Supplier<String> clusterName;

  EnrollRoutes(Enrollments enrollments, ClusterService cluster, java.util.function.Supplier<String> clusterName) {
    this.enrollments = enrollments;
    this.cluster = cluster;
    this.clusterName = clusterName;
  }

  void mount(Routes r) {
    r.enroll("POST", "/api/cluster/enroll", this::enroll);
    // why: an installer checks the join token and the cluster before it installs anything
    r.enroll("GET", "/api/cluster/enroll", rc -> Replies.json(rc, 200, new JsonObject()
        .put("cluster_name", clusterName.get()).put("version", io.heady.common.Version.VERSION)
        .put("approve_nodes", enrollments.desk().settings().approvalNeeded())));
    r.viewer("GET", "/api/cluster/enrollments", rc -> {
      JsonArray out = new JsonArray();
      enrollments.all().forEach(e -> out.add(e.view()));
      Replies.json(rc, 200, new JsonObject().put("enrollments", out).put("count", out.size()));
    });
    r.admin("POST", "/api/cluster/nodes/:id/approve", rc -> {
      String id = NodeRoutes.nodeId(rc);
      Replies.from(rc, 200, decided(enrollments.approve(id), "node.approved"));
    });
    r.admin("POST", "/api/cluster/nodes/:id/revoke", rc -> {
      String id = NodeRoutes.nodeId(rc);
      if (enrollments.get(id) == null) {
        throw new ApiException(ErrorCode.UNKNOWN_NODE, "node " + id + " is not enrolled", new JsonObject()
            .put("node_id", id));
      }
      // why: first take its work back and tell it to stop (still with its key), then revoke the key
      Replies.from(rc, 200, cluster.revokeNode(id)
          .compose(n -> decided(enrollments.revoke(id), "node.revoked")));
    });
    r.viewer("GET", "/api/cluster/identity", rc -> Replies.json(rc, 200, new JsonObject()
        .put("root_certificate", Pki.pem(enrollments.authority().root()))
        .put("managers_ca", Pki.pem(enrollments.authority().managersCa()))
        .put("manager_certificate", Pki.pem(enrollments.authority().manager().certificate()))
        .put("manager_fingerprint", Pki.fingerprint(enrollments.authority().manager().certificate()
            .getPublicKey()))));
    r.admin("POST", "/api/cluster/clients/enroll", rc -> {
      Proved p = proved(rc, "name");
      Replies.json(rc, 201, bundle(p.id(), Pki.Role.CLIENT, p.key()).put("status", "enrolled"));
    });
  }

  private Future<JsonObject> decided(Future<Enrollment> f, String event) {
    return f.recover(e -> Future.failedFuture(e instanceof IllegalStateException
        ? new ApiException(ErrorCode.CONFLICT, e.getMessage()) : e)).compose(e -> cluster.publish(event,
            new JsonObject().put("node_id", e.nodeId()).put("fingerprint", e.fingerprint())).map(v -> e.view()));
  }

  /** A request proven by its key: who it names and the key. */
  private record Proved(String id, String name, PublicKey key, String pem) {}

  /**
   * The request's id, key and proof: {@code proof} is the key's signature of {@code "heady-enroll-v1\n<id>\n<ts>"}
   * with {@code ts} within ten minutes of ours, so the caller holds the private key it asks a certificate for.
   */
  private Proved proved(RoutingContext rc, String idField) {
    JsonObject b = Replies.body(rc);
    String id = Fields.reqId(b, idField);
    String name = Fields.optString(b, "name", 128);
    String pem = Fields.optString(b, "public_key", 4096);
    if (pem == null) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "public_key (PEM, EC P-256) is required",
          new JsonObject().put("field", "public_key"));
    }
    PublicKey key;
    try {
      key = Pki.publicKey(pem);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "public_key: " + e.getMessage(),
          new JsonObject().put("field", "public_key"));
    }
    long ts = Fields.optLong(b, "ts", -1, -1, Long.MAX_VALUE);
    String proof = Fields.optString(b, "proof", 512);
    if (ts < 0 || proof == null) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "ts and proof (the key's signature) are required",
          new JsonObject().put("field", "proof"));
    }
    if (Math.abs(enrollments.now().toEpochMilli() - ts) > PROOF_WINDOW.toMillis()) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "ts is more than 10 minutes from the manager's clock"
          + " (clock skew?)", new JsonObject().put("field", "ts"));
    }
    if (!Pki.verify(key, io.heady.common.identity.EnrollProof.text(id, ts), proof)) {
      throw new ApiException(ErrorCode.INVALID_FIELD, "proof is not this key's signature of the request",
          new JsonObject().put("field", "proof"));
    }
    return new Proved(id, name == null || name.isBlank() ? id : name, key, pem);
  }


  private void enroll(RoutingContext rc) {
    Proved p = proved(rc, "node_id");
    var a = rc.request().remoteAddress();
    EnrollmentDesk.Request req = new EnrollmentDesk.Request(p.id(), p.name(), Pki.pem(p.key()),
        Pki.fingerprint(p.key()), a == null ? null : a.hostAddress());
    enrollments.enroll(req).compose(d -> {
      if (d.verdict() == EnrollmentDesk.Verdict.REFUSED) {
        return Future.failedFuture(new ApiException(ErrorCode.valueOf(d.code()), d.message(),
            new JsonObject().put("node_id", p.id())));
      }
      JsonObject out;
      if (d.verdict() == EnrollmentDesk.Verdict.PENDING) {
        out = new JsonObject().put("status", "pending_approval").put("node_id", p.id())
            .put("fingerprint", req.fingerprint())
            .put("message", "waiting for an operator: heady nodes approve " + p.id() + " (compare the fingerprint)");
      } else {
        out = bundle(p.id(), Pki.Role.NODE, p.key()).put("status", "enrolled");
      }
      int status = d.status();
      Future<Void> told = !d.changed() ? Future.succeededFuture() : cluster.publish(
          d.verdict() == EnrollmentDesk.Verdict.PENDING ? "node.pending_approval" : "node.enrolled",
          new JsonObject().put("node_id", p.id()).put("fingerprint", req.fingerprint()).put("address", req.address()));
      return told.map(v -> out.put("http_status", status));
    }).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(rc, ar.cause());
      } else {
        JsonObject out = ar.result();
        int status = (Integer) out.remove("http_status");
        Replies.json(rc, status, out);
      }
    });
  }

  /**
   * What an enrolled node or client keeps: its certificate and its issuer's, the managers' certificate (its
   * key makes the pair key) and the managers' CA (the only one it accepts on the event bus).
   */
  private JsonObject bundle(String id, Pki.Role role, PublicKey key) {
    io.heady.common.identity.Credential c = enrollments.authority().issued(id, role, key);
    return new JsonObject()
        .put("node_id", id)
        .put("certificate", Pki.pem(c.certificate()))
        .put("ca_certificate", Pki.pem(c.ca()))
        .put("manager_certificate", Pki.pem(enrollments.authority().manager().certificate()))
        .put("managers_ca", Pki.pem(enrollments.authority().managersCa()));
  }
}
