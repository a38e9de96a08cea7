package io.heady.common.identity;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS on the event bus, both ways, with the cluster's certificates: each member presents its own credential
 * and requires one from its peer. Who is accepted follows from the trust anchors: the manager trusts the
 * cluster's issuing CAs (nodes, clients, standby managers); an agent or a client trusts only the managers' CA,
 * so an enrolled node can neither stand in for the manager nor reach another node. A process that joined the
 * Hazelcast cluster without a credential can neither connect to a member's event-bus port nor be connected
 * to, so it reads and sends nothing.
 *
 * <p>Why anchors and not a trust manager of heady's own: the clustered event bus rebuilds its TLS options from
 * their JSON form, which keeps PEM values but drops any object. What a node may say is decided message by
 * message by its pair key ({@link Seal}), which revocation takes away at once.
 */
public record BusSecurity(Credential credential, List<X509Certificate> anchors) {

  /** The manager's: it accepts every certificate the cluster's issuing CAs issued. */
  public static BusSecurity manager(Credential c, List<X509Certificate> issuers) {
    return new BusSecurity(c, List.copyOf(issuers));
  }

  /** An agent's or a client's: it accepts only certificates of the managers' CA. */
  public static BusSecurity member(Credential c, X509Certificate managersCa) {
    return new BusSecurity(c, List.of(managersCa));
  }

  /** Applies it to the event bus's options. */
  public void apply(EventBusOptions o) {
    PemTrustOptions trust = new PemTrustOptions();
    anchors.forEach(a -> trust.addCertValue(Buffer.buffer(Pki.pem(a))));
    o.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setKeyValue(Buffer.buffer(Pki.pem(credential.key())))
            .setCertValue(Buffer.buffer(Pki.pem(credential.certificate()) + Pki.pem(credential.ca()))))
        .setTrustOptions(trust);
  }
}
