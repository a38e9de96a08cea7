package io.heady.manager.identity;

import io.heady.common.identity.Credential;
import io.heady.common.identity.PairKey;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.heady.manager.store.ClusterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cluster's identity, made by the first manager on its first start: a root CA that signs three issuing
 * CAs, one per role ({@code managers}, {@code nodes}, {@code clients}), and the managers' own key and
 * certificate. Nodes and clients trust only the managers' CA on the event bus, so an enrolled node cannot
 * stand in for the manager or reach another node; the manager trusts all three. It issues node and client
 * certificates, derives each node's {@link PairKey}, and signs what the manager publishes. Kept in
 * {@code <data-dir>/identity/cluster.json} (0600) and, with a durable store, in the store, so standby managers
 * on the same store share it (the first one saved wins).
 */
public final class ClusterAuthority {
  /** How long certificates are valid: a home cluster revokes through its enrollments, not by expiry. */
  static final Duration VALIDITY = Duration.ofDays(3650);
  static final String FILE = "cluster.json";

  /** One issuing CA: its key and certificate. */
  private record Issuer(PrivateKey key, X509Certificate cert) {}

  private final X509Certificate root;
  private final Issuer managers;
  private final Issuer nodes;
  private final Issuer clients;
  private final Credential manager;
  private final Clock clock;

  private ClusterAuthority(X509Certificate root, Issuer managers, Issuer nodes, Issuer clients, Credential manager,
      Clock clock) {
    this.root = root;
    this.managers = managers;
    this.nodes = nodes;
    this.clients = clients;
    this.manager = manager;
    this.clock = clock;
  }

  /** A new identity: the CAs and the managers' credential. */
  public static ClusterAuthority create(String clusterName, Clock clock) {
    Instant from = clock.instant().minus(Duration.ofHours(1));
    Instant to = clock.instant().plus(VALIDITY);
    KeyPair rootKeys = Pki.newKeyPair();
    X509Certificate root = Pki.ca("heady " + clusterName + " root CA", rootKeys, from, to);
    Issuer[] issuers = new Issuer[3];
    String[] names = {"managers", "nodes", "clients"};
    for (int i = 0; i < 3; i++) {
      KeyPair kp = Pki.newKeyPair();
      issuers[i] = new Issuer(kp.getPrivate(), Pki.issue("heady " + clusterName + " " + names[i] + " CA",
          Pki.Role.CA, kp.getPublic(), Pki.name(root), rootKeys.getPrivate(), from, to));
    }
    KeyPair mk = Pki.newKeyPair();
    X509Certificate mc = Pki.issue(Seal.MANAGER, Pki.Role.MANAGER, mk.getPublic(), Pki.name(issuers[0].cert()),
        issuers[0].key(), from, to);
    return new ClusterAuthority(root, issuers[0], issuers[1], issuers[2],
        new Credential(mk.getPrivate(), mc, issuers[0].cert()), clock);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("root_certificate", Pki.pem(root))
        .put("managers_ca_key", Pki.pem(managers.key())).put("managers_ca", Pki.pem(managers.cert()))
        .put("nodes_ca_key", Pki.pem(nodes.key())).put("nodes_ca", Pki.pem(nodes.cert()))
        .put("clients_ca_key", Pki.pem(clients.key())).put("clients_ca", Pki.pem(clients.cert()))
        .put("manager_key", Pki.pem(manager.key()))
        .put("manager_certificate", Pki.pem(manager.certificate()));
  }

  public static ClusterAuthority fromJson(JsonObject j, Clock clock) {
    Issuer m = new Issuer(Pki.privateKey(j.getString("managers_ca_key")), Pki.certificate(j.getString("managers_ca")));
    Issuer n = new Issuer(Pki.privateKey(j.getString("nodes_ca_key")), Pki.certificate(j.getString("nodes_ca")));
    Issuer c = new Issuer(Pki.privateKey(j.getString("clients_ca_key")), Pki.certificate(j.getString("clients_ca")));
    Credential mc = new Credential(Pki.privateKey(j.getString("manager_key")),
        Pki.certificate(j.getString("manager_certificate")), m.cert());
    return new ClusterAuthority(Pki.certificate(j.getString("root_certificate")), m, n, c, mc, clock);
  }

  /**
   * The identity this manager uses: the store's when it has one, else the one in its data dir, else a new
   * one; whichever it is ends up in both (the store keeps the first one saved). Blocking file I/O: call it
   * off the event loop (at start).
   */
  public static Future<ClusterAuthority> load(ClusterStore store, Path dataDir, String clusterName, Clock clock) {
    Path file = dataDir.resolve("identity").resolve(FILE);
    return store.identity().compose(stored -> {
      try {
        JsonObject local = Files.isRegularFile(file)
            ? new JsonObject(Files.readString(file, StandardCharsets.US_ASCII)) : null;
        JsonObject chosen = stored != null ? stored : local != null ? local
            : create(clusterName, clock).toJson();
        return store.saveIdentityIfAbsent(chosen).map(kept -> {
          try {
            if (local == null || !local.equals(kept)) {
              Files.createDirectories(file.getParent());
              io.heady.common.identity.PrivateFile.write(file, kept.encodePrettily());
            }
          } catch (IOException e) {
            throw new IllegalStateException("cannot keep the cluster identity in " + file + ": " + e.getMessage(), e);
          }
          return fromJson(kept, clock);
        });
      } catch (IOException | RuntimeException e) {
        return Future.failedFuture(new IllegalStateException("the cluster identity in " + file
            + " cannot be read (" + e.getMessage() + ")", e));
      }
    });
  }

  /** The CA whose certificates nodes and clients accept as the manager's. */
  public X509Certificate managersCa() {
    return managers.cert();
  }

  /** The CAs the manager accepts on the event bus: managers (standbys), nodes, clients. */
  public List<X509Certificate> issuers() {
    return List.of(managers.cert(), nodes.cert(), clients.cert());
  }

  public X509Certificate root() {
    return root;
  }

  /** The managers' own key and certificate (the event bus's TLS; what nodes trust as the manager). */
  public Credential manager() {
    return manager;
  }

  /** A node's or a client's certificate, bound to its name and key, and the CA that issued it. */
  public Credential issued(String name, Pki.Role role, PublicKey key) {
    Issuer by = switch (role) {
      case NODE -> nodes;
      case CLIENT -> clients;
      default -> throw new IllegalArgumentException("only node and client certificates are issued");
    };
    Instant now = clock.instant();
    X509Certificate c = Pki.issue(name, role, key, Pki.name(by.cert()), by.key(), now.minus(Duration.ofMinutes(5)),
        now.plus(VALIDITY));
    return new Credential(null, c, by.cert());
  }

  /** The key the manager shares with a node (or a client). */
  public byte[] pairKey(String peer, PublicKey key) {
    return PairKey.derive(manager.key(), key, peer);
  }

  /** Signs data with the managers' key (events on the bus): any member can check it, none can forge it. */
  public String sign(byte[] data) {
    return Pki.sign(manager.key(), data);
  }
}
