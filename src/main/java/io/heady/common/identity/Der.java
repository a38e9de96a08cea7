package io.heady.common.identity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Just enough ASN.1 DER encoding to write an X.509 certificate: each method returns one complete element
 * (tag, length, content). Certificates are read back with the JDK's {@code CertificateFactory}, which is the
 * check that what is written here is well formed.
 */
final class Der {
  private Der() {}

  static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xFF);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... items) {
    return element(0x30, concat(items));
  }

  static byte[] set(byte[]... items) {
    return element(0x31, concat(items));
  }

  static byte[] integer(BigInteger v) {
    return element(0x02, v.toByteArray());
  }

  static byte[] bool(boolean v) {
    return element(0x01, new byte[] {(byte) (v ? 0xFF : 0x00)});
  }

  static byte[] octets(byte[] v) {
    return element(0x04, v);
  }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bits(byte[] v) {
    byte[] c = new byte[v.length + 1];
    System.arraycopy(v, 0, c, 1, v.length);
    return element(0x03, c);
  }

  /** A BIT STRING of named bits (key usage): bit 0 is the most significant bit of the first byte. */
  static byte[] namedBits(int... bitNumbers) {
    int highest = 0;
    for (int b : bitNumbers) {
      highest = Math.max(highest, b);
    }
    byte[] v = new byte[highest / 8 + 1];
    for (int b : bitNumbers) {
      v[b / 8] |= (byte) (0x80 >>> (b % 8));
    }
    int unused = 7 - highest % 8;
    byte[] c = new byte[v.length + 1];
    c[0] = (byte) unused;
    System.arraycopy(v, 0, c, 1, v.length);
    return element(0x03, c);
  }

  static byte[] utf8(String s) {
    return element(0x0C, s.getBytes(StandardCharsets.UTF_8));
  }

  /** An explicit context-specific tag around one element: {@code [n] EXPLICIT}. */
  static byte[] explicit(int n, byte[] inner) {
    return element(0xA0 | n, inner);
  }

  static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
    for (int i = 2; i < p.length; i++) {
      long v = Long.parseLong(p[i]);
      byte[] tmp = new byte[10];
      int k = 0;
      do {
        tmp[k++] = (byte) (v & 0x7F);
        v >>>= 7;
      } while (v != 0);
      for (int j = k - 1; j >= 0; j--) {
        out.write(tmp[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return element(0x06, out.toByteArray());
  }

  /** UTCTime up to 2049, GeneralizedTime from 2050, as RFC 5280 asks. */
  static byte[] time(java.time.Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    if (z.getYear() < 2050) {
      return element(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(z)
          .getBytes(StandardCharsets.US_ASCII));
    }
    return element(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(z)
        .getBytes(StandardCharsets.US_ASCII));
  }
}
