package io.jointly.lr.internal;

import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.core.FixedPoint;
import io.jointly.core.JointlyException;
import io.jointly.secagg.PairwiseMasks;
import java.time.Duration;
import java.util.List;

/**
 * SCORES and the other masked vectors of the vertical-lr session: each partner sends a fixed-point
 * vector under its zero-sum pairwise masks ({@link PairwiseMasks}); the bank adds the partners'
 * vectors modulo 2^64, the masks cancel, and it learns only the sum.
 */
public final class MaskedScores {
  private MaskedScores() {}

  /** Fixed-point scores plus this partner's pairwise mask for {@code round}, modulo 2^64. */
  public static Bytes encode(double[] u, FixedPoint codec, PairwiseMasks masks, int round) {
    long[] v = new long[u.length];
    for (int i = 0; i < u.length; i++) {
      v[i] = codec.encode(u[i]);
    }
    masks.mask(v, round);
    return LrWire.longs(v);
  }

  /** The sum over the partners, modulo 2^64, of a masked vector of {@code n} words: their masks cancel. */
  public static long[] receiveSum(List<? extends MessageChannel> partners, RoundKey key, int n, String round, Duration timeout)
      throws JointlyException {
    long[] sum = new long[n];
    for (MessageChannel partner : partners) {
      long[] v = LrWire.longs(partner.receive(key, timeout), n, round);
      for (int i = 0; i < n; i++) {
        sum[i] += v[i];
      }
    }
    return sum;
  }

  /** SCORES number {@code sequence} from every partner: their summed partial scores, decoded. */
  public static double[] receiveScoreSum(
      List<? extends MessageChannel> partners, int sequence, int n, FixedPoint codec, Duration timeout) throws JointlyException {
    return decode(receiveSum(partners, LrRound.SCORES.key(sequence), n, "SCORES", timeout), codec);
  }

  /** Summed fixed-point words decoded. */
  public static double[] decode(long[] sum, FixedPoint codec) {
    double[] out = new double[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = codec.decode(sum[i]);
    }
    return out;
  }
}
