package io.jointly.transport.ic;

import io.jointly.channel.ChannelStats;
import io.jointly.core.ChannelException;
import io.jointly.core.JointlyException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.psi.ic.CipherBatch;
import io.jointly.psi.ic.IcHandshake;
import io.jointly.psi.ic.IcInput;
import io.jointly.psi.ic.IcLink;
import io.jointly.psi.ic.IcPsiResult;
import io.jointly.psi.ic.IcStage;
import io.jointly.psi.ic.InterconnectionPsi;
import io.jointly.transport.Endpoint;
import io.jointly.transport.ic.internal.IcCodec;
import io.jointly.transport.ic.internal.IcKeys;
import io.jointly.transport.ic.internal.IcServer;
import io.jointly.transport.ic.internal.Mailbox;
import io.jointly.transport.ic.internal.Pusher;
import io.jointly.transport.ic.internal.Receiver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interconnection ECDH-PSI session with the peer over the white-box transport, after the
 * connect phase ({@link IcTransport.Listener#connect}): the {@link IcLink} a party runs over, and
 * the end of the run (the reference's FIN exchange).
 *
 * <h2>Keys (spec §3.2, §5.5, §5.9)</h2>
 *
 * The handshake and the first-stage batches are the P2P messages of channel {@code root} ({@code
 * root:P2P-1:1->0} is the request, {@code root:P2P-1:0->1} the response, the first-stage batches
 * follow from {@code P2P-2}); the second-stage batches those of {@code root-0}, counted from 1.
 * One counter per channel and direction. With {@link IcTransportOptions.Keys#SEQUENCED} every key
 * carries {@code "\x01\x02" + seq}, seq counting this party's messages from 1 over both channels.
 *
 * <h2>End of a run (spec §3.3)</h2>
 *
 * {@link #finish} acknowledges whatever was left unread, pushes {@code FIN} with the number of
 * sequenced messages sent, waits for the peer's FIN, for the peer's messages 1..N its FIN
 * announced, and for the ACKs of this party's own; each wait is bounded by {@link
 * IcTransportOptions#finTimeout} ({@code TIMEOUT} if the peer never sends FIN). {@link #run} does
 * this after the protocol, and on a failure still sends FIN (best effort) so that a reference peer,
 * which waits for it forever, can exit.
 *
 * <p>Thread-safety: as {@link IcLink} requires (one sender and one receiver per stage at once).
 */
public final class IcSession implements IcLink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IcSession.class);

  private final int self;
  private final int peer;
  private final String peerName;
  private final IcTransportOptions options;
  private final IcServer server;
  private final Endpoint endpoint;
  private final Mailbox mailbox;
  private final Receiver receiver;
  private final Pusher pusher;
  private final AtomicLong rootSent = new AtomicLong();
  private final AtomicLong rootReceived = new AtomicLong();
  private final AtomicLong subSent = new AtomicLong();
  private final AtomicLong subReceived = new AtomicLong();
  private volatile Duration windowTimeout;
  private boolean finished;
  private boolean closed;

  IcSession(
      int self,
      String peerName,
      IcTransportOptions options,
      IcServer server,
      Endpoint endpoint,
      Mailbox mailbox,
      Receiver receiver,
      Pusher pusher) {
    this.self = self;
    this.peer = 1 - self;
    this.peerName = peerName;
    this.options = options;
    this.server = server;
    this.endpoint = endpoint;
    this.mailbox = mailbox;
    this.receiver = receiver;
    this.pusher = pusher;
    this.windowTimeout = options.finTimeout();
  }

  /** This party's server address. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Runs {@code psi} over this session and ends the run with the FIN exchange. The ACK window
   * waits as long as the party waits for a message ({@code receiveTimeout}).
   *
   * @throws JointlyException the party's failure, or the FIN exchange's
   */
  public IcPsiResult run(InterconnectionPsi psi, IcInput input) throws JointlyException {
    windowTimeout = psi.parameters().receiveTimeout();
    IcPsiResult result;
    try {
      result = psi.run(input, this);
    } catch (JointlyException | RuntimeException | Error e) {
      finishQuietly();
      throw e;
    }
    finish();
    return result;
  }

  @Override
  public void sendRequest(IcHandshake.Request request) throws ChannelException, ProtocolAbortException {
    push(rootKeyOut(), IcCodec.encode(request));
  }

  @Override
  public IcHandshake.Response receiveResponse(Duration timeout)
      throws ChannelException, ProtocolAbortException {
    return IcCodec.decodeResponse(take(rootKeyIn(), timeout, "handshake response"));
  }

  @Override
  public IcHandshake.Request receiveRequest(Duration timeout)
      throws ChannelException, ProtocolAbortException {
    return IcCodec.decodeRequest(take(rootKeyIn(), timeout, "handshake request"));
  }

  @Override
  public void sendResponse(IcHandshake.Response response) throws ChannelException, ProtocolAbortException {
    push(rootKeyOut(), IcCodec.encode(response));
  }

  @Override
  public void send(IcStage stage, CipherBatch batch) throws ChannelException, ProtocolAbortException {
    String key =
        stage == IcStage.FIRST
            ? rootKeyOut()
            : IcKeys.p2p(IcKeys.ROOT_0, subSent.incrementAndGet(), self, peer);
    pusher.send(key, IcCodec.encode(batch), windowTimeout);
  }

  @Override
  public CipherBatch receive(IcStage stage, Duration timeout)
      throws ChannelException, ProtocolAbortException {
    String key =
        stage == IcStage.FIRST
            ? rootKeyIn()
            : IcKeys.p2p(IcKeys.ROOT_0, subReceived.incrementAndGet(), peer, self);
    return IcCodec.decodeBatch(take(key, timeout, stage.type() + " batch"), stage.type() + " batch");
  }

  @Override
  public ChannelStats stats() {
    return new ChannelStats(
        pusher.bytesSent(), receiver.bytesReceived(), pusher.messagesSent(), receiver.messagesReceived());
  }

  /**
   * The end of a run: FIN to the peer, then waits for its FIN, its announced messages and the ACKs
   * of this party's, each within {@link IcTransportOptions#finTimeout}.
   *
   * @throws ChannelException {@code TIMEOUT} naming what did not come
   */
  public void finish() throws ChannelException, ProtocolAbortException {
    if (finished) {
      return;
    }
    finished = true;
    for (long s : mailbox.untakenSeqs()) {
      LOG.debug("unread message with sequence {} at the end of the run", s);
    }
    pusher.fin();
    Duration t = options.finTimeout();
    long peerCount = mailbox.awaitFin(t);
    mailbox.awaitSeqs(peerCount, t);
    long mine = pusher.sequencedSent();
    if (mine > 0) {
      mailbox.awaitAcks(mine, t, "ACKs of all " + mine + " messages this party sent");
    }
    pusher.drainControl(t);
  }

  /** {@link #finish} after a failure: bounded, and its own failure only logged. */
  private void finishQuietly() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      pusher.fin();
      pusher.drainControl(Duration.ofSeconds(Math.min(10, options.finTimeout().toSeconds() + 1)));
    } catch (JointlyException | RuntimeException e) {
      LOG.debug("FIN after a failed run with {}: {}", peerName, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    mailbox.fail(new ChannelException(ChannelException.Kind.CLOSED, "the session was closed"));
    pusher.shutdown();
    server.close();
  }

  private String rootKeyOut() {
    return IcKeys.p2p(IcKeys.ROOT, rootSent.incrementAndGet(), self, peer);
  }

  private String rootKeyIn() {
    return IcKeys.p2p(IcKeys.ROOT, rootReceived.incrementAndGet(), peer, self);
  }

  private void push(String key, byte[] value) throws ChannelException, ProtocolAbortException {
    pusher.send(key, value, windowTimeout);
  }

  private byte[] take(String key, Duration timeout, String what)
      throws ChannelException, ProtocolAbortException {
    return mailbox.take(key, timeout, what).value();
  }

  @Override
  public String toString() {
    return "IcSession[rank " + self + " with " + peerName + ", listening at " + endpoint + "]";
  }
}
