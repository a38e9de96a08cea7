package io.heady.common.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's certificates, pair keys and seals, by a clock set by hand. */
class IdentityTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final KeyPair caKeys = Pki.newKeyPair();
  private final X509Certificate ca = Pki.ca("heady cluster CA", caKeys, NOW.minusSeconds(60),
      NOW.plus(Duration.ofDays(3650)));

  private X509Certificate issue(String name, Pki.Role role, KeyPair kp) {
    return Pki.issue(name, role, kp.getPublic(), Pki.name(ca), caKeys.getPrivate(), NOW.minusSeconds(60),
        NOW.plus(Duration.ofDays(365)));
  }

  @Test
  void aCertificateNamesItsHolderAndRoleAndIsIssuedByTheCa() throws Exception {
    KeyPair kp = Pki.newKeyPair();
    X509Certificate c = issue("rpi4", Pki.Role.NODE, kp);
    assertEquals("rpi4", Pki.name(c));
    assertEquals(Pki.Role.NODE, Pki.role(c));
    assertEquals(Pki.Role.CA, Pki.role(ca));
    assertTrue(Pki.issuedBy(c, ca, NOW));
    assertFalse(Pki.issuedBy(c, ca, NOW.plus(Duration.ofDays(400))), "expired");
    KeyPair other = Pki.newKeyPair();
    X509Certificate otherCa = Pki.ca("another cluster", other, NOW, NOW.plus(Duration.ofDays(1)));
    assertFalse(Pki.issuedBy(c, otherCa, NOW));
    assertEquals(3, c.getVersion());
    assertEquals(-1, c.getBasicConstraints(), "a leaf is not a CA");
    assertTrue(ca.getBasicConstraints() >= 0, "the CA is one");
    // PEM round trips
    assertEquals(c, Pki.certificate(Pki.pem(c)));
    assertEquals(kp.getPublic(), Pki.publicKey(Pki.pem(kp.getPublic())));
    assertEquals(kp.getPrivate(), Pki.privateKey(Pki.pem(kp.getPrivate())));
    assertThrows(IllegalArgumentException.class, () -> Pki.publicKey("not pem"));
  }

  @Test
  void aPairKeyIsTheSameFromBothSidesAndDiffersPerNode() {
    KeyPair m = Pki.newKeyPair();
    KeyPair a = Pki.newKeyPair();
    KeyPair b = Pki.newKeyPair();
    byte[] ka = PairKey.derive(a.getPrivate(), m.getPublic(), "a");
    assertArrayEquals(ka, PairKey.derive(m.getPrivate(), a.getPublic(), "a"));
    assertFalse(java.util.Arrays.equals(ka, PairKey.derive(m.getPrivate(), b.getPublic(), "b")));
    assertFalse(java.util.Arrays.equals(ka, PairKey.derive(m.getPrivate(), a.getPublic(), "b")),
        "bound to the node id");
  }

  @Test
  void sealsOpenOnlyWithThePairKeyForTheirAddressOnce() {
    byte[] ka = new byte[32];
    byte[] kb = new byte[32];
    ka[0] = 1;
    kb[0] = 2;
    Map<String, byte[]> keys = Map.of("a", ka, "b", kb);
    Seal manager = new Seal(Seal.MANAGER, keys::get, clock, Seal.DEFAULT_WINDOW);
    Seal a = Seal.node("a", ka, clock);
    Seal b = Seal.node("b", kb, clock);
    JsonObject hb = new JsonObject().put("node_id", "a");

    Buffer sealed = a.seal("heady.cluster.heartbeat", hb, Seal.MANAGER);
    assertFalse(sealed.toString().contains("node_id"), "the payload travels encrypted: " + sealed);
    Seal.Opened o = manager.open("heady.cluster.heartbeat", sealed);
    assertEquals("a", o.from());
    assertEquals(hb, o.payload());
    assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.heartbeat", sealed), "a replay");
    assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.report",
        a.seal("heady.cluster.heartbeat", hb, Seal.MANAGER)), "another address");

    // b cannot speak as a: the sender named in the envelope picks the key
    Buffer forged = as(b.seal("heady.cluster.heartbeat", hb, Seal.MANAGER), "a");
    assertThrows(Seal.Refused.class, () -> manager.open("heady.cluster.heartbeat", forged));
    // nor forge the manager's word to a: a only opens what comes from the manager, with its own key
    JsonObject dispatch = new JsonObject().put("task_id", "t");
    Buffer fromB = as(b.seal("heady.node.a.dispatch", dispatch, Seal.MANAGER), Seal.MANAGER);
    assertThrows(Seal.Refused.class, () -> a.open("heady.node.a.dispatch", fromB));
    assertEquals(Seal.MANAGER, a.open("heady.node.a.dispatch", manager.seal("heady.node.a.dispatch", dispatch, "a"))
        .from());
    // nobody seals to a peer without a key (unknown, revoked)
    assertThrows(Seal.Refused.class, () -> manager.seal("x", hb, "ghost"));
    assertThrows(Seal.Refused.class, () -> manager.open("x", as(a.seal("x", hb, Seal.MANAGER), "ghost")));
    assertThrows(Seal.Refused.class, () -> manager.open("x", hb), "an unsealed message");
  }

  /** The same sealed message claiming another sender. */
  private static Buffer as(Buffer sealed, String sender) {
    BusEnvelope e = BusEnvelope.parse(sealed);
    return new BusEnvelope(sender, e.ts(), e.nonce(), e.sealed()).toBuffer();
  }

  @Test
  void aSealFromAnotherTimeIsRefused() {
    byte[] k = new byte[32];
    Seal past = Seal.node("a", k, Clock.fixed(NOW.minusSeconds(121), ZoneOffset.UTC));
    Seal manager = new Seal(Seal.MANAGER, p -> "a".equals(p) ? k : null, clock, Seal.DEFAULT_WINDOW);
    assertThrows(Seal.Refused.class, () -> manager.open("x", past.seal("x", new JsonObject(), Seal.MANAGER)));
  }

  @Test
  void anHttpRequestIsCheckedOnItsHeadThenItsBodyAgainstTheDigestTheHeadNames() {
    byte[] k = new byte[32];
    k[5] = 9;
    Seal node = Seal.node("a", k, clock);
    Seal manager = new Seal(Seal.MANAGER, p -> "a".equals(p) ? k : null, clock, Seal.DEFAULT_WINDOW);
    String path = "/api/cluster/nodes/heartbeat";
    byte[] body = "{\"node_id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    String h = node.header("POST", path, body, Seal.MANAGER);
    Seal.Claim c = manager.claim(h, "POST", path);
    assertEquals("a", c.from());
    assertThrows(Seal.Refused.class, () -> manager.verify(c, "POST", path,
        "{\"node_id\":\"b\"}".getBytes(StandardCharsets.UTF_8)), "another body");
    assertEquals("a", manager.verify(c, "POST", path, body));
    assertThrows(Seal.Refused.class, () -> manager.claim(h, "POST", path), "once only: refused on the head");
    String other = node.header("POST", path, body, Seal.MANAGER);
    assertThrows(Seal.Refused.class, () -> manager.claim(other, "POST", "/api/cluster/nodes/deregister"),
        "another route: refused on the head");
    assertEquals("a", manager.claim(other, "POST", path).from(), "a refusal spends no nonce");
    assertNull(manager.claim("Bearer abc", "POST", path), "another scheme is not this one's business");
    assertThrows(Seal.Refused.class, () -> manager.claim("Heady f=ghost, ts=" + NOW.toEpochMilli()
        + ", n=x, h=y, sig=z", "POST", path), "no key for the sender: refused before any body is read");
    // why: every field but sig is public (the sender's name, the time): a made-up MAC is refused on the head
    String forged = h.replaceAll("sig=[^,]*$", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .replaceAll("n=[^,]*", "n=fresh");
    assertThrows(Seal.Refused.class, () -> manager.claim(forged, "POST", path), "a forged MAC, before the body");
    String noDigest = h.replaceAll(", h=[^,]*", "");
    assertThrows(Seal.Refused.class, () -> manager.claim(noDigest, "POST", path), "a seal without h");
  }

  @Test
  void aCredentialIsKeptWithItsKeyPrivate(@TempDir Path dir) throws Exception {
    KeyPair kp = Credential.loadOrCreateKey(dir);
    assertEquals(kp.getPublic(), Credential.loadOrCreateKey(dir).getPublic(), "the key is kept");
    Credential c = new Credential(kp.getPrivate(), issue("a", Pki.Role.NODE, kp), ca);
    c.save(dir);
    assertTrue(Credential.exists(dir));
    Credential back = Credential.load(dir);
    assertEquals("a", back.name());
    assertEquals(Pki.Role.NODE, back.role());
    assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(dir.resolve("key.pem")));
    assertTrue(back.keyManager().getCertificateChain("heady").length == 2);
  }
}
