package io.jointly.lr.secretshared;

import io.jointly.core.JointlyException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * REVEAL and CONFIRM: each party sends the other its shares of the other's weights (with {@code
 * revealAllToBank} the partner also sends the bank its shares of its own), opens its own weights,
 * and both confirm their transcripts agree.
 */
final class Reveal {
  private Reveal() {}

  /** The result of this party's session after {@code steps} steps. */
  static SecretSharedResult run(Session s, int steps) throws JointlyException {
    int maxBits = s.layout.weightShareBits() + 1;
    boolean bank = s.role == Role.BANK;
    boolean all = s.params.revealAllToBank();
    BigInteger[] send = !bank && all ? concat(s.wPeer, s.wOwn) : s.wPeer;
    s.tx.send(SecretSharedRound.REVEAL.key(0), SecretSharedWire.wide(send));
    int expected = bank && all ? s.pOwn + s.pPeer : s.pOwn;
    BigInteger[] got = SecretSharedWire.wide(s.tx.receive(SecretSharedRound.REVEAL.key(0), s.timeout), expected, maxBits, "REVEAL");
    double[] own = new double[s.pOwn];
    for (int j = 0; j < s.pOwn; j++) {
      own[j] = SharesMath.decode(s.wOwn[j].add(got[j]), SharesLayout.F_W);
    }
    Optional<double[]> partnerWeights = Optional.empty();
    if (bank && all) {
      double[] pw = new double[s.pPeer];
      for (int j = 0; j < s.pPeer; j++) {
        pw[j] = SharesMath.decode(s.wPeer[j].add(got[s.pOwn + j]), SharesLayout.F_W);
      }
      partnerWeights = Optional.of(pw);
    }
    s.tx.confirm(SecretSharedRound.CONFIRM.key(0), s.timeout);
    OptionalDouble intercept = OptionalDouble.empty();
    double[] weights = own;
    if (bank && s.lr.intercept() && s.index == 0) {
      intercept = OptionalDouble.of(own[s.pOwn - 1]);
      weights = Arrays.copyOf(own, s.pOwn - 1);
    }
    return new SecretSharedResult(
        weights,
        intercept,
        partnerWeights,
        s.lr.maxEpochs(),
        steps,
        s.counting.stats(),
        Duration.ofNanos(System.nanoTime() - s.start),
        s.epochLosses);
  }

  private static BigInteger[] concat(BigInteger[] a, BigInteger[] b) {
    BigInteger[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
