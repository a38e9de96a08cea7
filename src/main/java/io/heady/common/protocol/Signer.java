package io.heady.common.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens event-bus control messages. Hazelcast's community edition lets any process that reaches
 * the cluster port join; this is what stops such a process from registering a node, dispatching a task or
 * completing one. Each message travels as {@code {p, ts, n, sig}}: the payload as exact JSON text, a
 * timestamp, a random nonce, and an HMAC-SHA256 keyed by the join token over the address, timestamp, nonce
 * and payload. A message is refused when unsigned, forged, for another address, outside the clock window,
 * or replayed (nonce already seen in the window).
 */
public final class Signer {
  /** How far a sender's clock may be from ours (and how long nonces are remembered). */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(120);

  private final Supplier<String> signingKey;
  private final Supplier<List<String>> verifyKeys;
  private final Clock clock;
  private final long windowMs;
  // why: a nonce must never repeat, not be secret; a random prefix per signer and a counter make it unique
  // without asking the system's random source for every message
  private final String noncePrefix = randomPrefix();
  private final java.util.concurrent.atomic.AtomicLong nonceCounter = new java.util.concurrent.atomic.AtomicLong();
  private static final ThreadLocal<Map<String, Mac>> MACS = ThreadLocal.withInitial(java.util.HashMap::new);
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private volatile long lastPurge;

  public Signer(Supplier<String> signingKey, Supplier<List<String>> verifyKeys, Clock clock, Duration window) {
    this.signingKey = signingKey;
    this.verifyKeys = verifyKeys;
    this.clock = clock;
    this.windowMs = window.toMillis();
  }

  /** A signer with one key for both sealing and opening. */
  public static Signer of(String key, Clock clock) {
    return new Signer(() -> key, () -> List.of(key), clock, DEFAULT_WINDOW);
  }

  /** The message refused, and why. */
  public static final class Refused extends RuntimeException {
    public Refused(String why) {
      super(why, null, false, false);
    }
  }

  public JsonObject seal(String address, JsonObject payload) {
    String p = payload.encode();
    long ts = clock.millis();
    String n = noncePrefix + Long.toString(nonceCounter.incrementAndGet(), 36);
    return new JsonObject().put("p", p).put("ts", ts).put("n", n)
        .put("sig", mac(signingKey.get(), address, ts, n, p));
  }

  /** The payload of a sealed message, or {@link Refused}. */
  public JsonObject open(String address, Object body) {
    if (!(body instanceof JsonObject env)) {
      throw new Refused("not a sealed message");
    }
    Object p = env.getValue("p");
    Object ts = env.getValue("ts");
    Object n = env.getValue("n");
    Object sig = env.getValue("sig");
    if (!(p instanceof String ps) || !(ts instanceof Number tn) || !(n instanceof String ns)
        || !(sig instanceof String ss) || ns.length() > 64) {
      throw new Refused("unsigned or malformed message");
    }
    long t = tn.longValue();
    long now = clock.millis();
    if (Math.abs(now - t) > windowMs) {
      throw new Refused("message timestamp outside the " + windowMs / 1000 + " s window (clock skew?)");
    }
    byte[] given = ss.getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String key : verifyKeys.get()) {
      ok |= MessageDigest.isEqual(given, mac(key, address, t, ns, ps).getBytes(StandardCharsets.US_ASCII));
    }
    if (!ok) {
      throw new Refused("bad signature");
    }
    if (seen.putIfAbsent(ns, t) != null) {
      throw new Refused("replayed message");
    }
    purge(now);
    try {
      return new JsonObject(ps);
    } catch (RuntimeException e) {
      throw new Refused("payload is not a JSON object");
    }
  }

  private void purge(long now) {
    if (now - lastPurge < windowMs / 4) {
      return;
    }
    lastPurge = now;
    seen.values().removeIf(t -> now - t > 2 * windowMs);
  }

  private static String randomPrefix() {
    byte[] nb = new byte[12];
    new SecureRandom().nextBytes(nb);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nb) + ".";
  }

  /** This thread's HMAC for a key, initialised once (a key rotation adds one; a handful are kept). */
  private static Mac hmac(String key) throws NoSuchAlgorithmException, InvalidKeyException {
    Map<String, Mac> macs = MACS.get();
    Mac m = macs.get(key);
    if (m == null) {
      if (macs.size() >= 4) {
        macs.clear();
      }
      m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      macs.put(key, m);
    }
    return m;
  }

  private static String mac(String key, String address, long ts, String nonce, String payload) {
    try {
      Mac m = hmac(key); // doFinal below leaves it reset for the next message
      m.update(address.getBytes(StandardCharsets.UTF_8));
      m.update((byte) '\n');
      m.update(Long.toString(ts).getBytes(StandardCharsets.US_ASCII));
      m.update((byte) '\n');
      m.update(nonce.getBytes(StandardCharsets.US_ASCII));
      m.update((byte) '\n');
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(payload.getBytes(
          StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The address a reply is sealed for: replies cannot be swapped for requests. */
  public static String replyTo(String address) {
    return "reply:" + address;
  }
}
