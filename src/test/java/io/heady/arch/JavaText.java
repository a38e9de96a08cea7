package io.heady.arch;

/**
 * Java source with its comments blanked out: every character of a {@code //} or {@code /* … *}{@code /}
 * comment becomes a space (line breaks stay, so line numbers do not move). String, text-block and character
 * literals are kept as they are, and a {@code //} inside one is not taken for a comment.
 */
final class JavaText {
  private JavaText() {}

  static String withoutComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
        while (i < n && src.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
        int end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (; i < end; i++) {
          out.append(src.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        while (end > 0 && escaped(src, end)) {
          end = src.indexOf("\"\"\"", end + 1);
        }
        end = end < 0 ? n : end + 3;
        out.append(src, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
          j += src.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(n, j + 1);
        out.append(src, i, j);
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Whether the character at {@code at} follows an odd number of backslashes. */
  private static boolean escaped(String s, int at) {
    int k = at - 1;
    while (k >= 0 && s.charAt(k) == '\\') {
      k--;
    }
    return (at - 1 - k) % 2 == 1;
  }
}
