package io.heady.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subject alternative names a self-signed certificate gets, and when a kept one still names a host. */
class CertNamesTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void loopbackFirstThenTheConfiguredNamesThenThisMachine() throws Exception {
    List<String> san = CertNames.san(Arrays.asList("heady.example.org", "0.0.0.0", "192.168.1.10", null, "auto"),
        "build-box", List.of(ip("127.0.0.1"), ip("::1"), ip("192.168.1.10"), ip("10.8.0.3"), ip("fe80::1"),
            ip("2001:db8::7"), ip("169.254.3.4")));
    assertEquals(List.of("dns:localhost", "ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "dns:heady.example.org",
        "ip:192.168.1.10", "dns:build-box", "ip:10.8.0.3", "ip:2001:db8:0:0:0:0:0:7"), san,
        "wildcards, 'auto', loopback duplicates and link-local addresses stay out; each name once");
  }

  @Test
  void namesAreNormalisedAndJunkIsLeftOut() {
    assertEquals("dns:heady.example.org", CertNames.entry(" Heady.Example.ORG "));
    assertEquals("ip:2001:db8:0:0:0:0:0:1", CertNames.entry("[2001:db8::1]"), "a URL's bracketed IPv6 host");
    assertEquals("ip:2001:db8:0:0:0:0:0:1", CertNames.entry("2001:db8::1%eth0"), "a zone is not part of a SAN");
    assertNull(CertNames.entry("::"));
    assertNull(CertNames.entry("not a host"));
    assertNull(CertNames.entry("-dash.example"));
    assertNull(CertNames.entry("a,dns:evil.example"), "a comma would add a SAN entry of its own");
    assertNull(CertNames.entry(""));
  }

  @Test
  void aCertificateCoversAHostByNameOrAddress() {
    List<List<?>> sans = List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(2, "heady.example.org"),
        List.of(7, "0:0:0:0:0:0:0:1"), List.of(1, "mail.example.org"));
    assertTrue(CertNames.covers(sans, "HEADY.example.org"));
    assertTrue(CertNames.covers(sans, "::1"));
    assertTrue(CertNames.covers(sans, "127.0.0.1"));
    assertFalse(CertNames.covers(sans, "new.example.org"));
    assertFalse(CertNames.covers(sans, "10.0.0.1"));
    assertFalse(CertNames.covers(sans, "mail.example.org"), "only DNS and IP entries count");
    assertTrue(CertNames.covers(sans, null), "no advertised host: any certificate does");
    assertTrue(CertNames.covers(sans, "not a host"), "a name no certificate can hold never asks for a new one");
  }

  @Test
  void theHostOfAnAdvertisedUrl() {
    assertEquals("heady.example.org", CertNames.hostOf("https://heady.example.org:7070/"));
    assertEquals("[2001:db8::1]", CertNames.hostOf("https://[2001:db8::1]:7070"));
    assertNull(CertNames.hostOf(""));
    assertNull(CertNames.hostOf("::not a url"));
  }
}
