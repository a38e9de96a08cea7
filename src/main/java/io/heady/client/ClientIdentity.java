package io.heady.client;

import io.heady.common.identity.BusSecurity;
import io.heady.common.identity.Credential;
import io.heady.common.identity.EnrollProof;
import io.heady.common.identity.Pki;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * What a Vert.x application needs to be a member of a heady cluster's event bus: its own key and the
 * certificate the cluster issued for it (role {@code client}), the managers' CA (the only peers it talks to) and
 * the managers' certificate (whose key signs the events it reads).
 *
 * <p>Made once by an admin ({@link #enroll}, or {@code heady clients enroll NAME --dir DIR}); the private key is
 * made here and never leaves the folder. Then {@link #load} it and {@link #applyTo} the clustered Vert.x's
 * event-bus options before it joins.
 */
public record ClientIdentity(String name, Credential credential, X509Certificate managerCertificate,
    X509Certificate managersCa) {
  static final String MANAGER_CERT = "manager.pem";
  static final String MANAGERS_CA = "managers-ca.pem";

  /**
   * Enrolls a client named {@code name} with the admin's {@code client}, keeping the identity in {@code dir}
   * (created if missing; the key readable by its owner only). Enrolling the same name again issues a new
   * certificate for the key already in {@code dir}.
   */
  public static ClientIdentity enroll(HeadyClient admin, String name, Path dir) throws IOException {
    return enroll(admin, name, dir, Clock.systemUTC());
  }

  static ClientIdentity enroll(HeadyClient admin, String name, Path dir, Clock clock) throws IOException {
    KeyPair kp = Credential.loadOrCreateKey(dir);
    long ts = clock.millis();
    JsonObject body = EnrollProof.request("name", name, null, kp, ts);
    JsonObject b = admin.post(ApiPaths.CLIENTS_ENROLL, body);
    Credential c;
    X509Certificate manager;
    X509Certificate managersCa;
    try {
      c = new Credential(kp.getPrivate(), Pki.certificate(b.getString("certificate")),
          Pki.certificate(b.getString("ca_certificate")));
      manager = Pki.certificate(b.getString("manager_certificate"));
      managersCa = Pki.certificate(b.getString("managers_ca"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new HeadyException(0, HeadyException.BAD_RESPONSE, "the manager's enrollment answer has no usable"
          + " certificates: " + e.getMessage());
    }
    c.save(dir);
    Files.writeString(dir.resolve(MANAGER_CERT), Pki.pem(manager), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve(MANAGERS_CA), Pki.pem(managersCa), StandardCharsets.US_ASCII);
    return new ClientIdentity(name, c, manager, managersCa);
  }

  /** The identity kept in {@code dir} by {@link #enroll}. */
  public static ClientIdentity load(Path dir) throws IOException {
    if (!Credential.exists(dir) || !Files.isRegularFile(dir.resolve(MANAGER_CERT))
        || !Files.isRegularFile(dir.resolve(MANAGERS_CA))) {
      throw new IOException("no client identity in " + dir + ": an admin makes one with"
          + " 'heady clients enroll NAME --dir " + dir + "'");
    }
    Credential c = Credential.load(dir);
    try {
      return new ClientIdentity(c.name(), c, Pki.certificate(Files.readString(dir.resolve(MANAGER_CERT))),
          Pki.certificate(Files.readString(dir.resolve(MANAGERS_CA))));
    } catch (IllegalArgumentException e) {
      throw new IOException("the client identity in " + dir + " is damaged (" + e.getMessage() + ")", e);
    }
  }

  /** Sets TLS with this identity on the event-bus options of the Vert.x instance that joins the cluster. */
  public EventBusOptions applyTo(EventBusOptions options) {
    busSecurity().apply(options);
    return options;
  }

  /** This identity as event-bus security, for {@code io.heady.common.cluster.ClusterSettings}. */
  public BusSecurity busSecurity() {
    return BusSecurity.member(credential, managersCa);
  }
}
