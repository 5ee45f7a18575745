package io.jointly.stats;

import io.jointly.channel.RoundKey;

/** Rounds of federated statistics after the PSI run, with explicit wire codes. */
enum StatsRound {
  HELLO(1),
  VALUES(2),
  MASKED_SUMS(3),
  OPENED(4),
  CONFIRM(5);

  static final String PROTOCOL = "segment-stats";

  final int wireCode;

  StatsRound(int wireCode) {
    this.wireCode = wireCode;
  }

  RoundKey key(int sequence) {
    return new RoundKey(PROTOCOL, wireCode, sequence);
  }
}
