package io.heady.common.identity;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens what a node and the manager send each other, with the {@link PairKey} of the two: on the
 * event bus as a {@link BusEnvelope} (sender, timestamp, nonce, then the payload's JSON text encrypted and
 * authenticated with AES-256-GCM over the address, sender, timestamp and nonce), so a message routed to the wrong member (a tampered
 * subscription map) reads as noise; over HTTP as an {@code Authorization: Heady f=…, ts=…, n=…, h=…, sig=…}
 * header, an HMAC-SHA256 over the method, path, sender, timestamp, nonce and the body's SHA-256 ({@code h}),
 * so the whole seal is checked on the request head, before any body byte is read, and the body once read only
 * has to match {@code h} (HTTP's own TLS keeps the body private). A message is refused when unsealed, from a peer without a key (never enrolled,
 * revoked), forged, meant for another address, outside the clock window, or replayed. Encryption and MACs use
 * keys derived from the pair key, one for each.
 *
 * <p>Each side has one of these: the manager ({@code self = "manager"}) finds each node's key by its id; a node
 * ({@code self} = its id) has one key, for {@code manager}. So a node can neither forge the manager's word to
 * another node nor speak as another node.
 */
public final class Seal {
  /** The manager's name as a sender. */
  public static final String MANAGER = "manager";
  /** How far a sender's clock may be from ours (and how long nonces are remembered). */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(120);
  public static final String SCHEME = "Heady";

  private final String self;
  private final Function<String, byte[]> keyOf;
  private final Clock clock;
  private final long windowMs;
  private final byte[] selfBytes;
  private final String noncePrefix;
  private final AtomicLong counter = new AtomicLong();
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private volatile long lastPurge;
  private static final ThreadLocal<Map<byte[], Mac>> MACS = ThreadLocal.withInitial(java.util.IdentityHashMap::new);

  /**
   * @param self who seals: {@link #MANAGER} or a node id
   * @param keyOf the pair key shared with a peer, or {@code null} when there is none (unknown, revoked)
   */
  public Seal(String self, Function<String, byte[]> keyOf, Clock clock, Duration window) {
    this.self = self;
    this.keyOf = keyOf;
    this.clock = clock;
    this.windowMs = window.toMillis();
    byte[] nb = new byte[12];
    new SecureRandom().nextBytes(nb);
    // why: a nonce must never repeat, not be secret; a random prefix per sealer and a counter make it unique
    this.selfBytes = self.getBytes(StandardCharsets.UTF_8);
    if (selfBytes.length == 0 || selfBytes.length > BusEnvelope.MAX_SENDER) {
      throw new IllegalArgumentException("a sender's name has 1 to " + BusEnvelope.MAX_SENDER + " bytes");
    }
    this.noncePrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(nb) + ".";
  }

  /** A node's seal: it talks to the manager only, with its one key. */
  public static Seal node(String nodeId, byte[] key, Clock clock) {
    return new Seal(nodeId, peer -> MANAGER.equals(peer) ? key : null, clock, DEFAULT_WINDOW);
  }

  public String self() {
    return self;
  }

  /** The message refused, and why. */
  public static final class Refused extends RuntimeException {
    public Refused(String why) {
      super(why, null, false, false);
    }
  }

  /** An opened message: who sent it, and what. */
  public record Opened(String from, JsonObject payload) {}

  // ---- the event bus ------------------------------------------------------------------------------------

  /**
   * Seals a message to {@code to} at {@code address}: the payload's JSON text, encrypted and authenticated into
   * one {@link BusEnvelope} frame, the body the bus carries as it is.
   */
  public Buffer seal(String address, JsonObject payload, String to) {
    byte[] key = key(to);
    long ts = clock.millis();
    String n = nonce();
    byte[] plain = payload.toBuffer().getBytes();
    byte[] from = selfBytes;
    byte[] nb = n.getBytes(StandardCharsets.US_ASCII);
    byte[] frame = BusEnvelope.frame(from, ts, nb, plain.length + Aead.TAG_BYTES);
    Aead.encryptInto(key, aad(address, self, ts, n), self + n, plain, frame, BusEnvelope.offset(from, nb));
    return Buffer.buffer(frame);
  }

  /** Opens a sealed message: who sent it and the payload, or {@link Refused}. */
  public Opened open(String address, Object body) {
    if (!(body instanceof Buffer b)) {
      if (body instanceof JsonObject env && env.containsKey("c") && env.containsKey("f")) {
        // why: heady before bus seal v3 sent a JSON envelope; say so plainly, or a mixed cluster reads as forgery
        throw new Refused("sealed by an earlier heady version (a JSON envelope); this one expects bus seal v"
            + BusEnvelope.VERSION + ": run the same heady version on the manager and its agents");
      }
      throw new Refused("not a sealed message");
    }
    BusEnvelope e = BusEnvelope.parse(b);
    inWindow(e.ts());
    byte[] key = key(e.from());
    byte[] plain;
    try {
      plain = Aead.decrypt(key, aad(address, e.from(), e.ts(), e.nonce()), e.from() + e.nonce(), e.sealed());
    } catch (IllegalArgumentException x) {
      throw new Refused("bad seal");
    }
    if (seen.putIfAbsent(e.from() + "/" + e.nonce(), e.ts()) != null) {
      throw new Refused("replayed message");
    }
    purge(clock.millis());
    try {
      return new Opened(e.from(), new JsonObject(Buffer.buffer(plain)));
    } catch (RuntimeException x) {
      throw new Refused("payload is not a JSON object");
    }
  }

  private static byte[] aad(String address, String from, long ts, String nonce) {
    return ("heady-bus-v3\n" + address + "\n" + from + "\n" + ts + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------

  /** The {@code Authorization} header value for a request to {@code to}. */
  public String header(String method, String pathAndQuery, byte[] body, String to) {
    byte[] key = key(to);
    long ts = clock.millis();
    String n = nonce();
    byte[] h = sha256(body);
    return SCHEME + " f=" + self + ", ts=" + ts + ", n=" + n + ", h=" + new String(h, StandardCharsets.US_ASCII)
        + ", sig=" + mac(key, method + " " + pathAndQuery, self, ts, n, h);
  }

  /**
   * Checks a request's {@code Authorization} header against its method and path, before the body is read: the
   * scheme, a sender with a key, a timestamp in the window, the MAC over the body's digest the header names,
   * and a nonce not seen before. Only the body itself is left to {@link #verify}. Returns {@code null} when the
   * header is not this scheme at all.
   *
   * <p>why: every other field of the header is public (the manager's name, a node's id, the time), so a claim
   * whose MAC is not checked yet is no credential: a server would read a whole body for anyone who writes one.
   */
  public Claim claim(String header, String method, String pathAndQuery) {
    if (header == null || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)
        || header.length() > 1024) {
      return null;
    }
    Map<String, String> f = new HashMap<>();
    for (String part : header.substring(SCHEME.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        f.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String from = f.get("f");
    long ts;
    try {
      ts = Long.parseLong(f.getOrDefault("ts", ""));
    } catch (NumberFormatException e) {
      throw new Refused("malformed Authorization header");
    }
    String h = f.get("h");
    if (from == null || f.get("n") == null || f.get("sig") == null || h == null || f.get("n").length() > 64
        || h.length() > 64) {
      throw new Refused("malformed Authorization header");
    }
    check(method + " " + pathAndQuery, from, ts, f.get("n"), f.get("sig"), h.getBytes(StandardCharsets.US_ASCII));
    return new Claim(from, ts, f.get("n"), h, method + " " + pathAndQuery);
  }

  /**
   * A request's head, checked: who sent it and the digest its body must have.
   *
   * @param request the method and path the seal was checked against
   */
  public record Claim(String from, long ts, String nonce, String bodyDigest, String request) {}

  /**
   * Verifies a claimed request's body (once read) against the digest its checked head named; returns the
   * sender or {@link Refused}.
   */
  public String verify(Claim c, String method, String pathAndQuery, byte[] body) {
    if (!c.request().equals(method + " " + pathAndQuery)
        || !MessageDigest.isEqual(c.bodyDigest().getBytes(StandardCharsets.US_ASCII), sha256(body))) {
      throw new Refused("the body is not the one the seal names");
    }
    return c.from();
  }

  // ---- shared -------------------------------------------------------------------------------------------

  private byte[] key(String peer) {
    byte[] k = peer == null ? null : keyOf.apply(peer);
    if (k == null) {
      throw new Refused("no credential for " + abbreviate(peer));
    }
    return k;
  }

  private void check(String address, String from, Object ts, Object n, Object sig, byte[] payload) {
    if (!(ts instanceof Number tn) || !(n instanceof String ns) || !(sig instanceof String ss) || ns.length() > 64
        || from.length() > 128) {
      throw new Refused("unsealed or malformed message");
    }
    long t = tn.longValue();
    inWindow(t);
    byte[] key = key(from);
    byte[] want = mac(key, address, from, t, ns, payload).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(ss.getBytes(StandardCharsets.US_ASCII), want)) {
      throw new Refused("bad signature");
    }
    if (seen.putIfAbsent(from + "/" + ns, t) != null) {
      throw new Refused("replayed message");
    }
    purge(clock.millis());
  }

  private void inWindow(long t) {
    if (Math.abs(clock.millis() - t) > windowMs) {
      throw new Refused("message timestamp outside the " + windowMs / 1000 + " s window (clock skew?)");
    }
  }

  private String nonce() {
    return noncePrefix + Long.toString(counter.incrementAndGet(), 36);
  }

  private void purge(long now) {
    if (now - lastPurge < windowMs / 4) {
      return;
    }
    lastPurge = now;
    seen.values().removeIf(t -> now - t > 2 * windowMs);
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "an unnamed sender";
    }
    String t = s.replaceAll("[^A-Za-z0-9._-]", "?");
    return t.length() > 64 ? t.substring(0, 64) + "…" : t;
  }

  static byte[] sha256(byte[] body) {
    try {
      return Base64.getEncoder().encode(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0]
          : body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String mac(byte[] key, String address, String from, long ts, String nonce, byte[] payload) {
    try {
      Map<byte[], Mac> macs = MACS.get();
      Mac m = macs.get(key);
      if (m == null) {
        if (macs.size() >= 256) {
          macs.clear();
        }
        m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(Aead.derive(key, "mac"), "HmacSHA256"));
        macs.put(key, m);
      }
      m.update("heady-v2\n".getBytes(StandardCharsets.US_ASCII));
      m.update(address.getBytes(StandardCharsets.UTF_8));
      m.update((byte) '\n');
      m.update(from.getBytes(StandardCharsets.UTF_8));
      m.update((byte) '\n');
      m.update(Long.toString(ts).getBytes(StandardCharsets.US_ASCII));
      m.update((byte) '\n');
      m.update(nonce.getBytes(StandardCharsets.US_ASCII));
      m.update((byte) '\n');
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(payload));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The address a reply is sealed for: replies cannot be swapped for requests. */
  public static String replyTo(String address) {
    return "reply:" + address;
  }
}
