package io.jointly.transport.internal;

import io.jointly.core.ChannelException;
import io.jointly.transport.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Address resolution and the loopback-only rule for plaintext. */
public final class Addresses {
  private Addresses() {}

  /**
   * Resolves {@code endpoint} and requires every address it resolves to be a loopback address;
   * returns the first, so the connection goes exactly where the check looked.
   *
   * @throws IllegalArgumentException if any address is not loopback (plaintext is then refused)
   * @throws ChannelException if the host cannot be resolved
   */
  public static InetSocketAddress loopbackOnly(Endpoint.Tcp endpoint) throws ChannelException {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(endpoint.host());
    } catch (UnknownHostException e) {
      throw new ChannelException(
          ChannelException.Kind.IO, "cannot resolve host of " + endpoint);
    }
    for (InetAddress a : all) {
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "insecure plaintext is allowed only on loopback addresses, and "
                + endpoint
                + " is not loopback ("
                + a.getHostAddress()
                + "); use mutual TLS");
      }
    }
    return new InetSocketAddress(all[0], endpoint.port());
  }

  /** Resolves {@code endpoint} for listening (any address, including the wildcard). */
  public static InetSocketAddress forListening(Endpoint.Tcp endpoint) throws ChannelException {
    InetSocketAddress a = new InetSocketAddress(endpoint.host(), endpoint.port());
    if (a.isUnresolved()) {
      throw new ChannelException(ChannelException.Kind.IO, "cannot resolve host of " + endpoint);
    }
    return a;
  }
}
