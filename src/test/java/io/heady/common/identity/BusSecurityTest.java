package io.heady.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event bus's TLS as the clustered bus builds it (from the options' JSON form, as Vert.x does): real
 * handshakes on loopback between the manager, nodes and a stranger.
 */
class BusSecurityTest {
  private final Vertx vertx = Vertx.vertx();
  private final Instant now = Instant.now();
  // the cluster's issuing CAs, one per role, as the manager makes them
  private final KeyPair managersKeys = Pki.newKeyPair();
  private final X509Certificate managersCa = Pki.ca("managers CA", managersKeys, now.minusSeconds(60),
      now.plus(Duration.ofDays(1)));
  private final KeyPair nodesKeys = Pki.newKeyPair();
  private final X509Certificate nodesCa = Pki.ca("nodes CA", nodesKeys, now.minusSeconds(60),
      now.plus(Duration.ofDays(1)));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Credential credential(String name, Pki.Role role) {
    KeyPair kp = Pki.newKeyPair();
    X509Certificate by = role == Pki.Role.MANAGER ? managersCa : nodesCa;
    KeyPair byKeys = role == Pki.Role.MANAGER ? managersKeys : nodesKeys;
    return new Credential(kp.getPrivate(), Pki.issue(name, role, kp.getPublic(), Pki.name(by), byKeys.getPrivate(),
        now.minusSeconds(60), now.plus(Duration.ofDays(1))), by);
  }

  private static EventBusOptions options(BusSecurity s) {
    EventBusOptions o = new EventBusOptions();
    s.apply(o);
    return o;
  }

  /** A server with these options that echoes, on a free port. */
  private int serve(EventBusOptions o) throws Exception {
    NetServer server = vertx.createNetServer(new NetServerOptions(o.toJson()).setPort(0).setHost("127.0.0.1"));
    server.connectHandler(sock -> sock.handler(sock::write));
    return server.listen().await(10, TimeUnit.SECONDS).actualPort();
  }

  /** Connects with these options and exchanges a few bytes; throws when the handshake is refused. */
  private void talk(EventBusOptions o, int port) throws Exception {
    // why: as the clustered event bus does, which verifies no host name (peers are trusted by certificate)
    NetClient c = vertx.createNetClient(new NetClientOptions(o.toJson()).setConnectTimeout(5000)
        .setHostnameVerificationAlgorithm(""));
    var sock = c.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    io.vertx.core.Promise<Buffer> got = io.vertx.core.Promise.promise();
    sock.handler(got::tryComplete);
    sock.closeHandler(v -> got.tryFail("closed"));
    sock.write(Buffer.buffer("hi"));
    assertEquals("hi", got.future().await(10, TimeUnit.SECONDS).toString());
  }

  @Test
  void theManagerAndItsNodesTalkButNodesDoNotTalkToEachOther() throws Exception {
    Credential manager = credential("manager", Pki.Role.MANAGER);
    Credential a = credential("a", Pki.Role.NODE);
    Credential b = credential("b", Pki.Role.NODE);
    EventBusOptions m = options(BusSecurity.manager(manager, java.util.List.of(managersCa, nodesCa)));
    EventBusOptions na = options(BusSecurity.member(a, managersCa));
    EventBusOptions nb = options(BusSecurity.member(b, managersCa));
    int managerPort = serve(m);
    int nodeAPort = serve(na);
    talk(na, managerPort); // node → manager
    talk(m, nodeAPort); // manager → node (dispatch)
    assertThrows(Exception.class, () -> talk(nb, nodeAPort), "a node cannot reach another node");
    int nodeBPort = serve(nb);
    // a node posing as a server of the manager's addresses: another node does not accept it
    assertThrows(Exception.class, () -> talk(na, nodeBPort));
  }

  @Test
  void aMemberWithoutACredentialIsRefusedBothWays() throws Exception {
    Credential manager = credential("manager", Pki.Role.MANAGER);
    int managerPort = serve(options(BusSecurity.manager(manager, java.util.List.of(managersCa, nodesCa))));
    EventBusOptions plain = new EventBusOptions();
    assertThrows(Exception.class, () -> talk(plain, managerPort), "no TLS at all");
    EventBusOptions trustAll = new EventBusOptions().setSsl(true).setTrustAll(true);
    assertThrows(Exception.class, () -> talk(trustAll, managerPort), "TLS without a client certificate");
    // a certificate of another cluster's CA
    KeyPair otherCa = Pki.newKeyPair();
    X509Certificate other = Pki.ca("other", otherCa, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    KeyPair kp = Pki.newKeyPair();
    Credential stranger = new Credential(kp.getPrivate(), Pki.issue("x", Pki.Role.NODE, kp.getPublic(),
        Pki.name(other), otherCa.getPrivate(), now.minusSeconds(60), now.plus(Duration.ofDays(1))), other);
    assertThrows(Exception.class, () -> talk(options(BusSecurity.member(stranger, managersCa)), managerPort));
    // the manager does not deliver to a member without a credential of its cluster
    int plainPort = vertx.createNetServer(new NetServerOptions().setPort(0).setHost("127.0.0.1"))
        .connectHandler(sock -> sock.handler(sock::write)).listen().await(10, TimeUnit.SECONDS).actualPort();
    assertThrows(Exception.class, () -> talk(options(BusSecurity.manager(manager,
        java.util.List.of(managersCa, nodesCa))), plainPort));
  }
}
