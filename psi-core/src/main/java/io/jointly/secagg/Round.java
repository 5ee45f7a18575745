package io.jointly.secagg;

import io.jointly.channel.RoundKey;

/**
 * The rounds of secure aggregation with their explicit wire codes, in protocol order. Client to
 * server rounds are odd, server to client rounds even. Bonawitz et al. (CCS 2017) number
 * the phases 0 (AdvertiseKeys), 1 (ShareKeys), 2 (MaskedInputCollection) and 4 (Unmasking); round
 * 3 (ConsistencyCheck) exists only in their actively secure variant and is left out here.
 */
enum Round {
  /** Client → server: version, parameters, vector length and layout. */
  HELLO(1),
  /** Server → client: the roster, threshold, graph degree and seed, agreed sizes. */
  SETUP(2),
  /** Client → server (phase 0): the two X25519 public keys (c_u for encryption, s_u for masks). */
  ADVERTISE_KEYS(3),
  /** Server → client: the public keys of the client's neighbours that advertised (U1). */
  NEIGHBOUR_KEYS(4),
  /** Client → server (phase 1): encrypted shares of b_u and s_u^SK, one per neighbour. */
  SHARE_KEYS(5),
  /** Server → client: the encrypted shares addressed to it by neighbours in U2. */
  SHARES_FOR_YOU(6),
  /** Client → server (phase 2): the masked input y_u, in batches. */
  MASKED_INPUT(7),
  /** Server → client: the clients whose masked input arrived (U3). */
  SURVIVORS(8),
  /** Client → server (phase 4): shares of b_v for survivors, of s_v^SK for the dropped. */
  UNMASK(9),
  /** Server → client: the run finished (with the included clients) or was aborted. */
  OUTCOME(10);

  /** Protocol name in round keys. */
  static final String PROTOCOL = "secagg";

  final int wireCode;

  Round(int wireCode) {
    this.wireCode = wireCode;
  }

  RoundKey key() {
    return RoundKey.of(PROTOCOL, wireCode);
  }

  RoundKey key(int sequence) {
    return new RoundKey(PROTOCOL, wireCode, sequence);
  }
}
