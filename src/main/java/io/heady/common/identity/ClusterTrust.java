package io.heady.common.identity;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Who a member of the cluster accepts at the other end of a TLS connection (the event bus, in both
 * directions): a certificate the cluster CA issued, still valid, whose role is one this member talks to, and
 * which {@code stillTrusted} accepts (the manager refuses revoked nodes). Host names play no part: the
 * cluster's own CA is the only authority, and roles keep members apart (an agent accepts only the manager,
 * so an enrolled node cannot stand in for the manager or reach another node).
 */
public final class ClusterTrust extends X509ExtendedTrustManager {
  private final X509Certificate ca;
  private final Set<Pki.Role> roles;
  private final Predicate<X509Certificate> stillTrusted;
  private final Clock clock;

  public ClusterTrust(X509Certificate ca, Set<Pki.Role> roles, Predicate<X509Certificate> stillTrusted, Clock clock) {
    this.ca = ca;
    this.roles = Set.copyOf(roles);
    this.stillTrusted = stillTrusted;
    this.clock = clock;
  }

  /** Accepts the peer, or says why not. */
  public void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no certificate: this cluster needs one its CA issued");
    }
    X509Certificate leaf = chain[0];
    if (!Pki.issuedBy(leaf, ca, clock.instant())) {
      throw new CertificateException("certificate not issued by this cluster's CA (or expired)");
    }
    Pki.Role role = Pki.role(leaf);
    if (role == null || !roles.contains(role)) {
      throw new CertificateException("a " + (role == null ? "certificate without a role" : role.wire())
          + " may not talk to this member");
    }
    if (!stillTrusted.test(leaf)) {
      throw new CertificateException(Pki.name(leaf) + " is not (or no longer) enrolled");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }
}
