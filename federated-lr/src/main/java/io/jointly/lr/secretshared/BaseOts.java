package io.jointly.lr.secretshared;

import io.jointly.core.Abort;
import io.jointly.core.JointlyException;
import io.jointly.core.SecretAccess;
import io.jointly.ot.Iknp;
import io.jointly.ot.IknpReceiver;
import io.jointly.ot.IknpSender;
import io.jointly.paillier.Ciphertext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * BASE_OT, BASE_OT_REPLY: the 128 base OTs of both IKNP extension instances ({@link
 * io.jointly.ot.IknpSender}, {@link io.jointly.ot.IknpReceiver}), done with Paillier: each party
 * sends its choice bits as extension sender encrypted under its own key; the peer, as extension
 * receiver, returns {@code [[k^0 + s·(k^1 − k^0)]]} for each, re-randomised. In instance A the bank
 * is the extension sender, in instance B the partner.
 */
final class BaseOts {
  private BaseOts() {}

  /**
   * Base OTs of both instances: this party's choices (as extension sender) go out encrypted under
   * its own key; it answers the peer's with its seed pairs (as extension receiver).
   */
  static void run(Session s) throws JointlyException {
    int kappa = Iknp.KAPPA;
    s.otSender = new IknpSender(s.random);
    s.otReceiver = new IknpReceiver(s.random);
    List<Supplier<Ciphertext>> jobs = new ArrayList<>();
    for (int j = 0; j < kappa; j++) {
      long bit = s.otSender.baseOtChoice(j, SecretAccess.insecure());
      jobs.add(() -> s.ownEnc.encrypt(bit));
    }
    s.tx.send(SecretSharedRound.BASE_OT.key(0), s.keys.publicKey().encodeAll(s.parallel(jobs)));
    List<Ciphertext> bits = s.peerKey.decodeAll(s.tx.receive(SecretSharedRound.BASE_OT.key(0), s.timeout), kappa);
    List<Supplier<Ciphertext>> replies = new ArrayList<>();
    for (int j = 0; j < kappa; j++) {
      BigInteger k0 = new BigInteger(1, s.otReceiver.baseOtMessage(j, 0, SecretAccess.insecure()));
      BigInteger diff = new BigInteger(1, s.otReceiver.baseOtMessage(j, 1, SecretAccess.insecure())).subtract(k0);
      Ciphertext c = bits.get(j);
      replies.add(() -> s.peerEnc.rerandomize(s.peerEnc.addPlaintext(s.peerEnc.multiply(c, diff), k0)));
    }
    s.tx.send(SecretSharedRound.BASE_OT_REPLY.key(0), s.peerKey.encodeAll(s.parallel(replies)));
    List<Ciphertext> reply = s.keys.publicKey().decodeAll(s.tx.receive(SecretSharedRound.BASE_OT_REPLY.key(0), s.timeout), kappa);
    List<Supplier<BigInteger>> opens = new ArrayList<>();
    for (Ciphertext c : reply) {
      opens.add(() -> s.dec.decrypt(c));
    }
    List<BigInteger> seeds = s.parallel(opens);
    for (int j = 0; j < kappa; j++) {
      Abort.unlessWellFormed(seeds.get(j).bitLength() <= 128, "BASE_OT_REPLY: a seed is out of range");
      s.otSender.baseOtResult(j, seedBytes(seeds.get(j)));
    }
  }

  /** A base-OT seed received as a non-negative integer below 2^128, as its 16 big-endian bytes. */
  private static byte[] seedBytes(BigInteger k) {
    if (k.signum() < 0 || k.bitLength() > 128) {
      throw new IllegalArgumentException("a seed has 128 bits");
    }
    byte[] raw = k.toByteArray();
    byte[] b = new byte[16];
    int n = Math.min(16, raw.length);
    System.arraycopy(raw, raw.length - n, b, 16 - n, n);
    return b;
  }
}
