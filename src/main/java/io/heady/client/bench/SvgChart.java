package io.heady.client.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * An SVG chart of benchmark results, one row a run: throughput as a bar on a linear scale (left) and latency
 * p50 and p99 as bars on a log scale (right). Reads the JSON lines {@code heady bench --json} prints, and
 * those of the Celery peer and the spawn baseline, so they can be drawn side by side.
 */
public final class SvgChart {
  static final int ROW = 34;
  static final int LABEL_W = 330;
  static final int TP_W = 300;
  static final int LAT_W = 300;
  static final int GAP = 40;
  static final int TOP = 64;
  static final double LAT_MIN_MS = 0.1;
  static final double LAT_MAX_MS = 10_000;

  private SvgChart() {}

  /** The chart of these results, in order. */
  public static String render(String title, List<JsonObject> runs) {
    double maxTp = 1;
    for (JsonObject r : runs) {
      maxTp = Math.max(maxTp, num(r, "throughput_per_s"));
    }
    maxTp = niceCeil(maxTp);
    int width = LABEL_W + TP_W + GAP + LAT_W + 30;
    int height = TOP + runs.size() * ROW + 50;
    int tpX = LABEL_W;
    int latX = LABEL_W + TP_W + GAP;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        esc(title)));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"48\" font-weight=\"bold\">throughput (tasks/s, linear)"
        + "</text>%n", tpX));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"48\" font-weight=\"bold\">latency ms, log scale: "
        + "<tspan fill=\"#2b8cbe\">p50</tspan> / <tspan fill=\"#e34a33\">p99</tspan></text>%n", latX));
    int axisY = TOP + runs.size() * ROW;
    // grid: throughput quarters, latency decades
    for (int q = 0; q <= 4; q++) {
      double x = tpX + TP_W * q / 4.0;
      s.append(line(x, TOP - 6, x, axisY, "#ddd"));
      s.append(text(x, axisY + 16, fmt(maxTp * q / 4), "middle", "#555"));
    }
    for (double d = LAT_MIN_MS; d <= LAT_MAX_MS * 1.0001; d *= 10) {
      double x = latX + logPos(d) * LAT_W;
      s.append(line(x, TOP - 6, x, axisY, "#ddd"));
      s.append(text(x, axisY + 16, d < 1 ? "0.1" : fmt(d), "middle", "#555"));
    }
    for (int i = 0; i < runs.size(); i++) {
      JsonObject r = runs.get(i);
      double y = TOP + i * ROW;
      s.append(text(LABEL_W - 8, y + ROW / 2.0 + 4, label(r), "end", "#000"));
      double tp = num(r, "throughput_per_s");
      double w = Math.max(0, tp / maxTp * TP_W);
      String color = String.valueOf(r.getString("system")).startsWith("heady") ? "#31a354" : "#969696";
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
          (double) tpX, y + 6, w, ROW - 12, color));
      s.append(text(tpX + w + 4, y + ROW / 2.0 + 4, tp > 0 ? fmt(tp) : "n/a", "start", "#000"));
      JsonObject lat = r.getJsonObject("latency_ms");
      if (lat != null) {
        bar(s, latX, y + 5, lat.getValue("p50"), "#2b8cbe");
        bar(s, latX, y + ROW / 2.0, lat.getValue("p99"), "#e34a33");
      }
    }
    s.append(line(tpX, axisY, tpX + TP_W, axisY, "#555"));
    s.append(line(latX, axisY, latX + LAT_W, axisY, "#555"));
    s.append("</svg>\n");
    return s.toString();
  }

  private static void bar(StringBuilder s, int x0, double y, Object v, String color) {
    if (!(v instanceof Number n) || n.doubleValue() <= 0) {
      return;
    }
    double ms = n.doubleValue();
    double w = Math.max(1, logPos(ms) * LAT_W);
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
        x0, y, w, ROW / 2 - 6, color));
    s.append(text(x0 + w + 4, y + ROW / 2.0 - 8, fmtMs(ms), "start", color));
  }

  /** Where {@code ms} sits between {@link #LAT_MIN_MS} and {@link #LAT_MAX_MS} on a log scale, 0–1. */
  static double logPos(double ms) {
    double p = (Math.log10(Math.max(LAT_MIN_MS, ms)) - Math.log10(LAT_MIN_MS))
        / (Math.log10(LAT_MAX_MS) - Math.log10(LAT_MIN_MS));
    return Math.max(0, Math.min(1, p));
  }

  /** A run's row label: its {@code label}, else made from its system, kind and shape. */
  public static String label(JsonObject r) {
    String l = r.getString("label");
    if (l != null && !l.isBlank()) {
      return l;
    }
    String sys = String.valueOf(r.getString("system"));
    String kind = r.getString("kind", "");
    StringBuilder sb = new StringBuilder();
    switch (sys) {
      case "celery-redis" -> {
        sb.append("celery ").append(kind).append(' ').append(r.getValue("workers", "?")).append('x')
            .append(r.getValue("concurrency", "?")).append(" prefetch ").append(r.getValue("prefetch_multiplier", "?"));
        Object inflight = r.getValue("inflight");
        if (inflight != null && !"all".equals(String.valueOf(inflight))) {
          sb.append(" in-flight ").append(inflight);
        }
      }
      case "processbuilder-baseline" -> sb.append("spawn baseline sh -c true, ").append(r.getValue("concurrency", "?"))
          .append(" at once");
      default -> {
        sb.append(sys).append(' ').append(kind);
        if (r.getValue("agents") != null) {
          sb.append(' ').append(r.getValue("agents")).append('x').append(r.getValue("slots", "?"));
        } else if (r.getValue("nodes") != null) {
          sb.append(' ').append(r.getValue("nodes")).append(" nodes/").append(r.getValue("concurrency", "?"))
              .append(" slots");
        }
        if (r.getString("store") != null) {
          sb.append(' ').append(r.getString("store"));
        }
        if (r.getString("transport") != null) {
          sb.append('/').append(r.getString("transport"));
        }
        Object w = r.getValue("in_flight");
        if (w != null && !"all".equals(String.valueOf(w))) {
          sb.append(" in-flight ").append(w);
        }
      }
    }
    return sb.toString();
  }

  private static double num(JsonObject r, String k) {
    return r.getValue(k) instanceof Number n ? n.doubleValue() : 0;
  }

  static double niceCeil(double v) {
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String fmtMs(double ms) {
    return ms >= 100 ? String.format(Locale.ROOT, "%,.0f", ms) : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms)
        : String.format(Locale.ROOT, "%.2f", ms);
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1, y1, x2, y2, color);
  }

  private static String text(double x, double y, String t, String anchor, String color) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
        x, y, anchor, color, esc(t));
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
