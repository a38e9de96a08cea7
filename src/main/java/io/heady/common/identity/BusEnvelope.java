package io.heady.common.identity;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A sealed event-bus message as it travels: one {@link Buffer}, framed as
 * {@code [version 1 byte][sender length 1][sender UTF-8][timestamp 8][nonce length 1][nonce ASCII][sealed payload]},
 * where the sealed payload is the JSON text of the message encrypted and authenticated with AES-256-GCM (tag at
 * the end). The bus carries the buffer as it is, so a message is encoded once (the JSON text, sealed), and the
 * receiver authenticates exactly the bytes it received before it decodes them once.
 *
 * <p>why binary: the earlier envelope was a JSON object holding the sealed payload in Base64, which the bus's
 * JSON codec encoded a second time (and the receiver decoded twice); the header fields here are fixed-width or
 * length-prefixed, so framing costs a few bytes and no parsing.
 *
 * @param sealed the AES-GCM output (cipher text and tag)
 */
public record BusEnvelope(String from, long ts, String nonce, byte[] sealed) {
  /** The framing's version: the first byte of every sealed message (the JSON envelope of earlier heady had none). */
  public static final byte VERSION = 3;
  static final int MAX_SENDER = 128;
  static final int MAX_NONCE = 64;

  /** Frames a sealed message's header around room for {@code sealedLength} bytes, which start at {@link #offset}. */
  static byte[] frame(byte[] from, long ts, byte[] nonce, int sealedLength) {
    byte[] out = new byte[offset(from, nonce) + sealedLength];
    int i = 0;
    out[i++] = VERSION;
    out[i++] = (byte) from.length;
    System.arraycopy(from, 0, out, i, from.length);
    i += from.length;
    for (int s = 56; s >= 0; s -= 8) {
      out[i++] = (byte) (ts >>> s);
    }
    out[i++] = (byte) nonce.length;
    System.arraycopy(nonce, 0, out, i, nonce.length);
    return out;
  }

  /** Where the sealed payload starts in a frame with this sender and nonce. */
  static int offset(byte[] from, byte[] nonce) {
    return 1 + 1 + from.length + 8 + 1 + nonce.length;
  }

  /** This envelope as it travels. */
  public Buffer toBuffer() {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] n = nonce.getBytes(StandardCharsets.US_ASCII);
    byte[] out = frame(f, ts, n, sealed.length);
    System.arraycopy(sealed, 0, out, offset(f, n), sealed.length);
    return Buffer.buffer(out);
  }

  /** Reads a frame's header and sealed payload, or {@link Seal.Refused} when it is not one. */
  public static BusEnvelope parse(Buffer b) {
    int len = b.length();
    if (len < 1 || b.getByte(0) != VERSION) {
      throw new Seal.Refused("not a sealed message of this heady version (bus seal v" + VERSION + ")");
    }
    int i = 1;
    int fl = len > i ? b.getUnsignedByte(i++) : -1;
    if (fl < 1 || fl > MAX_SENDER || len < i + fl + 8 + 1) {
      throw new Seal.Refused("malformed sealed message");
    }
    String from = b.getString(i, i + fl, "UTF-8");
    i += fl;
    long ts = b.getLong(i);
    i += 8;
    int nl = b.getUnsignedByte(i++);
    if (nl < 1 || nl > MAX_NONCE || len < i + nl + 16) {
      throw new Seal.Refused("malformed sealed message");
    }
    String nonce = b.getString(i, i + nl, "US-ASCII");
    i += nl;
    return new BusEnvelope(from, ts, nonce, b.getBytes(i, len));
  }
}
