package io.heady.common.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces a task's secret values with {@value #MASK} in what it prints, before the output is kept anywhere (its
 * tails, its log file, its progress note). Exact matches of the bytes of each value only: a value printed in
 * another form (encoded, reversed, split by other output) is not recognised.
 *
 * <p>Output arrives in chunks, and a value may be split across two of them. A {@link Stream} therefore holds back
 * the bytes at the end of what it was given that could still begin a value (at most the longest value's length
 * less one), and lets them out as soon as they cannot, or at {@link Stream#flush()}. Each value is found with
 * its own Knuth-Morris-Pratt matcher, longest value first, so the work per byte is bounded by the number of
 * values, whatever the output.
 */
public final class SecretMask {
  /** What a value becomes. */
  public static final String MASK = "***";
  private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
  /** Masks nothing. */
  public static final SecretMask NONE = new SecretMask(List.of());
  // why: a shorter end could be any word that happens to start like a value; four characters tell little
  static final int CUT_PREFIX = 4;

  /** One value and its failure function, shared by every stream of the mask. */
  private record Needle(byte[] value, int[] fail) {
    static Needle of(byte[] p) {
      int[] f = new int[p.length];
      for (int i = 1, k = 0; i < p.length; i++) {
        while (k > 0 && p[i] != p[k]) {
          k = f[k - 1];
        }
        if (p[i] == p[k]) {
          k++;
        }
        f[i] = k;
      }
      return new Needle(p, f);
    }
  }

  private final List<Needle> needles;

  private SecretMask(List<Needle> needles) {
    this.needles = needles;
  }

  /** A mask of these values (empty ones are ignored; each one is matched as its UTF-8 bytes). */
  public static SecretMask of(Collection<String> values) {
    Set<String> distinct = new LinkedHashSet<>();
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        distinct.add(v);
      }
    }
    if (distinct.isEmpty()) {
      return NONE;
    }
    List<byte[]> bytes = new ArrayList<>();
    distinct.forEach(v -> bytes.add(v.getBytes(StandardCharsets.UTF_8)));
    // why: longest first, so a value that contains a shorter one is masked whole, not cut around the shorter
    bytes.sort(Comparator.comparingInt((byte[] b) -> b.length).reversed());
    List<Needle> n = new ArrayList<>();
    bytes.forEach(b -> n.add(Needle.of(b)));
    return new SecretMask(List.copyOf(n));
  }

  /** Whether there is nothing to mask. */
  public boolean none() {
    return needles.isEmpty();
  }

  /** {@code text} with every value masked; {@code null} stays {@code null}. */
  public String mask(String text) {
    if (text == null || none()) {
      return text;
    }
    Stream s = stream();
    byte[] in = text.getBytes(StandardCharsets.UTF_8);
    byte[] a = s.feed(in, 0, in.length);
    byte[] b = s.flush();
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return new String(all, StandardCharsets.UTF_8);
  }

  /**
   * {@code text} that was cut to a length, masked: every value as in {@link #mask}, and an end that is the
   * start of a value (at least {@link #CUT_PREFIX} characters of it), where the cut went through a value.
   */
  public String maskCut(String text) {
    String m = mask(text);
    if (m == null || none()) {
      return m;
    }
    for (Needle n : needles) {
      String v = new String(n.value(), StandardCharsets.UTF_8);
      for (int k = Math.min(v.length() - 1, m.length()); k >= CUT_PREFIX; k--) {
        if (m.endsWith(v.substring(0, k))) {
          return m.substring(0, m.length() - k) + MASK;
        }
      }
    }
    return m;
  }

  /** A masker for one output stream (not thread-safe: one reader feeds it). */
  public Stream stream() {
    return new Stream(needles);
  }

  /** Masks one stream of output, chunk by chunk. */
  public static final class Stream {
    private final Needle[] needles;
    private final int[] matched;

    private Stream(List<Needle> needles) {
      this.needles = needles.toArray(Needle[]::new);
      this.matched = new int[this.needles.length];
    }

    /** The masked bytes that can be let out after this chunk; bytes that may begin a value are held back. */
    public byte[] feed(byte[] b, int off, int len) {
      if (needles.length == 0) {
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        return out;
      }
      byte[] cur = b;
      int curOff = off;
      int curLen = len;
      for (int i = 0; i < needles.length; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(curLen + 16);
        step(i, cur, curOff, curLen, out);
        cur = out.toByteArray();
        curOff = 0;
        curLen = cur.length;
      }
      return cur;
    }

    /** The end of the stream: what was held back, masked as far as it can be. */
    public byte[] flush() {
      byte[] carry = new byte[0];
      for (int i = 0; i < needles.length; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        step(i, carry, 0, carry.length, out);
        out.write(needles[i].value(), 0, matched[i]);
        matched[i] = 0;
        carry = out.toByteArray();
      }
      return carry;
    }

    /** How many bytes are held back now. */
    public int held() {
      int n = 0;
      for (int m : matched) {
        n += m;
      }
      return n;
    }

    private void step(int i, byte[] b, int off, int len, ByteArrayOutputStream out) {
      byte[] p = needles[i].value();
      int[] fail = needles[i].fail();
      int j = matched[i];
      for (int x = off; x < off + len; x++) {
        byte c = b[x];
        while (j > 0 && p[j] != c) {
          int k = fail[j - 1];
          out.write(p, 0, j - k); // why: these held bytes can no longer begin a match; the rest still may
          j = k;
        }
        if (p[j] == c) {
          j++;
          if (j == p.length) {
            out.write(MASK_BYTES, 0, MASK_BYTES.length);
            j = 0;
          }
        } else {
          out.write(c);
        }
      }
      matched[i] = j;
    }
  }
}
