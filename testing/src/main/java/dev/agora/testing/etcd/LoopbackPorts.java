package dev.agora.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free ports on 127.0.0.1, found by binding port 0. etcd cannot report a port it picked itself, so
 * the ports are released and handed to it; {@link EtcdProcess} retries with new ones in the rare
 * case that another process took one in between.
 */
final class LoopbackPorts {
  private LoopbackPorts() {}

  /** {@code count} distinct ports that were free a moment ago. */
  static List<Integer> free(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1})));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // The port number is all that was needed.
        }
      }
    }
  }
}
