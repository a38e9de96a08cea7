package io.heady.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import javax.crypto.KeyAgreement;

/**
 * The key a node and the manager share without ever sending it: static ECDH of one side's private key with
 * the other's public key, hashed with the node id. Only that node and the manager can compute it, so a
 * message MACed with it comes from one of the two, and each side knows which one it is not. It authenticates
 * every message between them (dispatch, cancel, probes, logs; register, heartbeat, reports) at the cost of an
 * HMAC, not a public-key signature per message.
 */
public final class PairKey {
  private PairKey() {}

  /** The 32-byte key of the pair (node {@code nodeId}, manager), from either side. */
  public static byte[] derive(PrivateKey mine, PublicKey theirs, String nodeId) {
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(mine);
      ka.doPhase(theirs, true);
      byte[] secret = ka.generateSecret();
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update("heady-pair-v1\n".getBytes(StandardCharsets.US_ASCII));
      d.update(nodeId.getBytes(StandardCharsets.UTF_8));
      d.update((byte) '\n');
      d.update(secret);
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot agree on a key with that public key: " + e.getMessage(), e);
    }
  }
}
