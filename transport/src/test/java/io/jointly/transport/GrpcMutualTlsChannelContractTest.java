package io.jointly.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.MessageChannelContractTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The channel contract over gRPC on loopback TCP with mutual TLS 1.3; the bank listens. The
 * partner connects through a {@link TcpRelay}, which can freeze the connection (a party that falls
 * silent without closing anything).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcMutualTlsChannelContractTest extends MessageChannelContractTest {
  private TransportServer server;
  private TcpRelay relay;
  private TransportChannel bank;
  private TransportChannel partner;

  @Override
  protected ChannelPair newPair() throws Exception {
    ThrowawayCa ca = ThrowawayCa.create(Duration.ofDays(1));
    server =
        GrpcTransport.listen(
            Endpoint.loopback(0),
            TransportSecurity.mutualTls(ca.issue("bank")),
            Set.of("partner"),
            ContractOptions.OPTIONS);
    relay =
        new TcpRelay(
            new InetSocketAddress(
                InetAddress.getLoopbackAddress(), ((Endpoint.Tcp) server.endpoint()).port()),
            0);
    PendingSession pending = server.expect("s1", "partner");
    partner =
        GrpcTransport.connect(
            relay.endpoint(),
            TransportSecurity.mutualTls(ca.issue("partner")),
            "s1",
            "bank",
            ContractOptions.OPTIONS);
    bank = pending.await(Duration.ofSeconds(10));
    return new ChannelPair(bank, partner);
  }

  @Override
  protected int maxMessageBytes() {
    return ContractOptions.MAX_MESSAGE_BYTES;
  }

  @Override
  protected int inboundCapacity() {
    return ContractOptions.OPTIONS.inboundCapacity();
  }

  @Override
  protected boolean silenceFirst() {
    relay.freeze(); // nothing crosses any more, in either direction; no socket closes
    return true;
  }

  @AfterEach
  void closeTransport() throws Exception {
    partner.close();
    bank.close();
    relay.close();
    server.close();
  }
}
