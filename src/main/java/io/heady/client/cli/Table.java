package io.heady.client.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A plain-text table: a header row, aligned columns two spaces apart, {@code -} for empty cells. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;
  private final Set<Integer> right = new HashSet<>();

  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  /** Right-aligns these columns (numbers). */
  Table right(int... cols) {
    for (int c : cols) {
      right.add(c);
    }
    return this;
  }

  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      String s = cells[i] == null ? "" : String.valueOf(cells[i]);
      // why: one row per line, whatever a command or label holds
      s = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
      r[i] = s.isEmpty() ? "-" : s;
    }
    rows.add(r);
    return this;
  }

  /** The same table without one column. */
  Table withoutColumn(int col) {
    String[] headers = new String[columns - 1];
    for (int i = 0, k = 0; i < columns; i++) {
      if (i != col) {
        headers[k++] = rows.get(0)[i];
      }
    }
    Table t = new Table(headers);
    for (int c : right) {
      if (c != col) {
        t.right.add(c > col ? c - 1 : c);
      }
    }
    for (int r = 1; r < rows.size(); r++) {
      String[] src = rows.get(r);
      String[] dst = new String[columns - 1];
      for (int i = 0, k = 0; i < columns; i++) {
        if (i != col) {
          dst[k++] = src[i];
        }
      }
      t.rows.add(dst);
    }
    return t;
  }

  /** Rows below the header. */
  int size() {
    return rows.size() - 1;
  }

  String render() {
    int[] w = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        w[i] = Math.max(w[i], r[i].codePointCount(0, r[i].length()));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        int pad = w[i] - r[i].codePointCount(0, r[i].length());
        if (i > 0) {
          line.append("  ");
        }
        if (right.contains(i)) {
          line.append(" ".repeat(pad)).append(r[i]);
        } else {
          line.append(r[i]).append(" ".repeat(pad));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** Cuts {@code s} to {@code max} characters, ending with an ellipsis when cut. */
  static String cut(String s, int max) {
    if (s == null) {
      return null;
    }
    String one = s.replace('\n', ' ').strip();
    return one.length() <= max ? one : one.substring(0, Math.max(0, max - 1)) + "…";
  }
}
