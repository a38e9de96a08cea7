package io.heady.common.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;

/** Picks the address a member advertises when the operator said {@code auto}. */
public final class HostPicker {
  private HostPicker() {}

  /**
   * The local address on the route to {@code managerUrl}: what the manager can reach this node on. A UDP
   * "connect" sends nothing; it only asks the kernel which interface it would use.
   */
  public static String towards(String managerUrl) {
    String host = URI.create(managerUrl).getHost();
    try (DatagramSocket s = new DatagramSocket()) {
      InetAddress target = InetAddress.getByName(host);
      if (target.isLoopbackAddress()) {
        return "127.0.0.1";
      }
      s.connect(new InetSocketAddress(target, 9));
      InetAddress local = s.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        return firstLan();
      }
      return local.getHostAddress();
    } catch (IOException e) {
      return firstLan();
    }
  }

  /** A manager's own address: the Tailscale one if present, else the first up, non-loopback IPv4. */
  public static String firstLan() {
    try {
      String lan = null;
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            if (ni.getName().startsWith("tailscale")) {
              return a.getHostAddress();
            }
            if (lan == null && !ni.getName().startsWith("docker") && !ni.getName().startsWith("br-")
                && !ni.getName().startsWith("veth")) {
              lan = a.getHostAddress();
            }
          }
        }
      }
      return lan != null ? lan : "127.0.0.1";
    } catch (SocketException e) {
      return "127.0.0.1";
    }
  }
}
