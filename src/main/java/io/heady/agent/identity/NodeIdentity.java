package io.heady.agent.identity;

import io.heady.agent.link.LinkException;
import io.heady.common.config.ConfigException;
import io.heady.common.identity.Credential;
import io.heady.common.identity.PairKey;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.heady.common.tls.ClientTls;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's identity in the cluster, kept in {@code <data-dir>/identity/<node-id>/}: its private key (made
 * here, 0600, never sent), its certificate, the cluster CA's and the managers' certificates. Without one, the
 * node enrolls: it proves the join token once and signs its request with its new key; with
 * {@code --approve-nodes} it waits until an operator approves it.
 *
 * @param managerCertificate the managers' certificate: its key makes the pair key
 * @param managersCa the only CA this node accepts at the other end of the event bus
 * @param seal seals and opens what it exchanges with the manager, with the key only the two share
 */
public record NodeIdentity(String nodeId, Credential credential, X509Certificate managerCertificate,
    X509Certificate managersCa, Seal seal) {
  private static final Logger LOG = LoggerFactory.getLogger(NodeIdentity.class);
  /** Enrollment retries: from 1 s, doubling, at most 30 s apart. */
  private static final io.heady.common.retry.Backoff ENROLL_BACKOFF = io.heady.common.retry.Backoff.doubling(1000,
      30_000);
  static final String MANAGER_CERT = "manager.pem";
  static final String MANAGERS_CA = "managers-ca.pem";

  /** The identity kept for this node id, or {@code null} when the node has not enrolled yet. */
  public static NodeIdentity load(Path dataDir, String nodeId, Clock clock) throws IOException {
    Path dir = dir(dataDir, nodeId);
    if (!Credential.exists(dir) || !Files.isRegularFile(dir.resolve(MANAGER_CERT))
        || !Files.isRegularFile(dir.resolve(MANAGERS_CA))) {
      return null;
    }
    Credential c = Credential.load(dir);
    if (!nodeId.equals(c.name())) {
      throw new IOException("the credential in " + dir + " is for " + c.name() + ", not " + nodeId);
    }
    X509Certificate m = Pki.certificate(Files.readString(dir.resolve(MANAGER_CERT), StandardCharsets.US_ASCII));
    X509Certificate mca = Pki.certificate(Files.readString(dir.resolve(MANAGERS_CA), StandardCharsets.US_ASCII));
    return of(nodeId, c, m, mca, clock);
  }

  static NodeIdentity of(String nodeId, Credential c, X509Certificate manager, X509Certificate managersCa,
      Clock clock) {
    byte[] key = PairKey.derive(c.key(), manager.getPublicKey(), nodeId);
    return new NodeIdentity(nodeId, c, manager, managersCa, Seal.node(nodeId, key, clock));
  }

  /**
   * The key this node shares with the manager ({@link PairKey}): what opens the secrets the manager seals into its
   * dispatches. Derived anew on each call (one key agreement), never stored.
   */
  public byte[] pairKey() {
    return PairKey.derive(credential.key(), managerCertificate.getPublicKey(), nodeId);
  }

  static Path dir(Path dataDir, String nodeId) {
    return dataDir.resolve("identity").resolve(nodeId);
  }

  /**
   * The identity kept for this node, or a new one got by enrolling with the join token (waiting, retrying,
   * while the manager is unreachable or an operator has not approved it yet). Blocking: call it from the
   * agent's supervisor thread.
   *
   * @param joinToken read only when the node must enroll
   * @param stopping tells when the agent is stopping, so a wait for approval ends
   */
  public static NodeIdentity ensure(Path dataDir, String nodeId, String name, String managerUrls,
      Supplier<String> joinToken, ClientTls tls, Supplier<Boolean> stopping, Clock clock) throws Exception {
    NodeIdentity held = load(dataDir, nodeId, clock);
    if (held != null) {
      return held;
    }
    String token = joinToken.get();
    if (token == null || token.isBlank()) {
      throw refused(dataDir, nodeId, "needs_join_token", "this node has not enrolled yet: give the join token once,"
          + " with --token-file=FILE (or --token-file=- to read it from standard input)");
    }
    Path dir = dir(dataDir, nodeId);
    KeyPair kp = Credential.loadOrCreateKey(dir);
    LOG.info("enrolling node {} with the manager (key fingerprint {})", nodeId, Pki.fingerprint(kp.getPublic()));
    Vertx boot = Vertx.vertx();
    try {
      WebClient web = WebClient.create(boot, tls.apply(new WebClientOptions().setConnectTimeout(5000)
          .setUserAgent("heady-agent")));
      long backoff = ENROLL_BACKOFF.first();
      boolean toldPending = false;
      while (!stopping.get()) {
        long ts = clock.millis();
        JsonObject body = io.heady.common.identity.EnrollProof.request("node_id", nodeId, name, kp, ts);
        HttpResponse<Buffer> r;
        try {
          r = post(web, managerUrls, token, body);
        } catch (Exception e) {
          LOG.warn("cannot reach the manager to enroll ({}); retrying in {} s",
              io.heady.agent.link.HttpLink.describe(e), backoff / 1000);
          pause(backoff);
          backoff = ENROLL_BACKOFF.next(backoff);
          continue;
        }
        JsonObject j = json(r);
        int s = r.statusCode();
        if (s == 200 || s == 201) {
          Credential c = new Credential(kp.getPrivate(), Pki.certificate(j.getString("certificate")),
              Pki.certificate(j.getString("ca_certificate")));
          X509Certificate m = Pki.certificate(j.getString("manager_certificate"));
          X509Certificate mca = Pki.certificate(j.getString("managers_ca"));
          c.save(dir);
          Files.writeString(dir.resolve(MANAGER_CERT), Pki.pem(m), StandardCharsets.US_ASCII);
          Files.writeString(dir.resolve(MANAGERS_CA), Pki.pem(mca), StandardCharsets.US_ASCII);
          LOG.info("enrolled as {}; the join token is no longer needed on this node", nodeId);
          return of(nodeId, c, m, mca, clock);
        }
        if (s == 202) {
          if (!toldPending) {
            String fp = Pki.fingerprint(kp.getPublic());
            LOG.warn("waiting for an operator to approve this node: heady nodes approve {} (fingerprint {})", nodeId,
                fp);
            writeStatus(dataDir, new JsonObject().put("node_id", nodeId).put("registered", false)
                .put("status", PENDING_APPROVAL).putNull("tier").put("fingerprint", fp));
            toldPending = true;
          }
          pause(5000);
          continue;
        }
        String message = j.getJsonObject("error", new JsonObject()).getString("message", "answered " + s);
        if (s == 401 || s == 403 || s == 409 || s == 400) {
          throw refused(dataDir, nodeId, "enroll_refused", "the manager refused to enroll this node: " + message);
        }
        LOG.warn("enrollment answered {} ({}); retrying in {} s", s, message, backoff / 1000);
        pause(backoff);
        backoff = ENROLL_BACKOFF.next(backoff);
      }
      throw new InterruptedException("stopped while enrolling");
    } finally {
      boot.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<Buffer> post(WebClient web, String managerUrls, String token, JsonObject body)
      throws Exception {
    Exception last = null;
    for (String u : managerUrls.split(",")) {
      String base = u.trim().endsWith("/") ? u.trim().substring(0, u.trim().length() - 1) : u.trim();
      try {
        HttpResponse<Buffer> r = web.postAbs(base + "/api/cluster/enroll").bearerTokenAuthentication(token)
            .timeout(10_000).sendJsonObject(body).await(15, TimeUnit.SECONDS);
        if (r.statusCode() == 503) {
          last = new LinkException(503, "NOT_LEADER", "the manager at " + base + " is a standby");
          continue;
        }
        return r;
      } catch (Exception e) {
        last = e;
      }
    }
    throw last;
  }

  private static JsonObject json(HttpResponse<Buffer> r) {
    try {
      return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static void pause(long ms) throws InterruptedException {
    // why: the supervisor thread has nothing else to do until the manager answers
    Thread.sleep(ms);
  }

  /** What {@code agent-status.json} says while this node waits for an operator to approve it. */
  public static final String PENDING_APPROVAL = "pending_approval";
  /** The file local tools (the installer) read this node's standing from; the heartbeat writes it once registered. */
  public static final String STATUS_FILE = "agent-status.json";

  private static ConfigException refused(Path dataDir, String nodeId, String status, String message) {
    writeStatus(dataDir, new JsonObject().put("node_id", nodeId).put("registered", false).put("status", status)
        .putNull("tier").put("message", message));
    return new ConfigException(message);
  }

  /**
   * Writes {@code <data-dir>/agent-status.json} while the node enrolls (the same shape the heartbeat writes:
   * {@code node_id, registered, status, tier}, plus {@code fingerprint} or {@code message}), atomically. Best
   * effort: a node that cannot write it still enrolls.
   */
  static void writeStatus(Path dataDir, JsonObject status) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve(STATUS_FILE);
      Path tmp = dataDir.resolve(STATUS_FILE + ".tmp");
      Files.writeString(tmp, status.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.debug("cannot write {}: {}", dataDir.resolve(STATUS_FILE), e.getMessage());
    }
  }

  /** Forgets this node's credential (the manager no longer knows it: a new cluster); the key is kept. */
  public static void forget(Path dataDir, String nodeId) throws IOException {
    Path dir = dir(dataDir, nodeId);
    Files.deleteIfExists(dir.resolve("cert.pem"));
    Files.deleteIfExists(dir.resolve(MANAGER_CERT));
    Files.deleteIfExists(dir.resolve(MANAGERS_CA));
  }

  /** The join token from the flags: {@code --token}, else {@code --token-file} (a file, or - for stdin). */
  public static String joinToken(String token, String tokenFile) {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    if (tokenFile == null || tokenFile.isBlank()) {
      return null;
    }
    try {
      String t = tokenFile.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8);
      return t.trim().isEmpty() ? null : t.trim();
    } catch (IOException e) {
      throw new ConfigException("--token-file: cannot read " + tokenFile + " (" + e.getMessage() + ")");
    }
  }

  /** How long a node waits between asks while an operator has not approved it. */
  static final Duration APPROVAL_POLL = Duration.ofSeconds(5);
}
