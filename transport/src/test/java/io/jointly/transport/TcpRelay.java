package io.jointly.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 between a client and a server, for tests: it counts the bytes that
 * really cross the socket (TLS records, HTTP/2 frames and all), can refuse the first connections
 * (a peer that is still starting), sever every connection with a reset (a peer that died), or
 * freeze (a peer or network that went silent without closing anything).
 */
final class TcpRelay implements AutoCloseable {
  private final InetSocketAddress target;
  private final int refuseFirst;
  private final ServerSocket listener;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tcp-relay");
            t.setDaemon(true);
            return t;
          });
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong upstream = new AtomicLong();
  private final AtomicLong downstream = new AtomicLong();
  private final CountDownLatch thaw = new CountDownLatch(1);
  private volatile boolean frozen;

  TcpRelay(InetSocketAddress target, int refuseFirst) throws IOException {
    this.target = target;
    this.refuseFirst = refuseFirst;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  /** The relay's endpoint. */
  Endpoint endpoint() {
    return Endpoint.loopback(listener.getLocalPort());
  }

  /** Connections accepted so far (refused ones included). */
  int connections() {
    return connections.get();
  }

  /** Bytes from clients to the server. */
  long upstreamBytes() {
    return upstream.get();
  }

  /** Bytes from the server to clients. */
  long downstreamBytes() {
    return downstream.get();
  }

  /** Resets every live connection, as when a process dies. */
  void sever() {
    for (Socket s : sockets) {
      reset(s);
    }
  }

  /** Stops forwarding without closing anything, as when a host or network goes silent. */
  void freeze() {
    frozen = true;
  }

  private void acceptLoop() {
    try {
      while (!listener.isClosed()) {
        Socket client = listener.accept();
        if (connections.incrementAndGet() <= refuseFirst) {
          reset(client);
          continue;
        }
        Socket server = new Socket(target.getAddress(), target.getPort());
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        pool.execute(() -> pump(client, server, upstream));
        pool.execute(() -> pump(server, client, downstream));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    byte[] buf = new byte[64 << 10];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (frozen) {
          thaw.await(); // until the relay is closed
          return;
        }
        out.write(buf, 0, n);
        counter.addAndGet(n);
      }
      to.shutdownOutput();
    } catch (IOException e) {
      reset(to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    thaw.countDown();
    sever();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
