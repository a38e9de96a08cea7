package io.heady.common.exec.contain;

/** Group names made from ids: only {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}, at most 200 characters. */
final class Names {
  private Names() {}

  static String safe(String id) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < id.length() && sb.length() < 200; i++) {
      char c = id.charAt(i);
      sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' ? c : '_');
    }
    String s = sb.toString();
    return s.isEmpty() || s.chars().allMatch(ch -> ch == '.') ? "_" + s : s;
  }
}
