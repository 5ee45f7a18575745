package io.jointly.lr.secretshared;

/** The two roles of a secret-shared session, with their codes in HELLO. */
enum Role {
  BANK(1),
  PARTNER(2);

  final int wireCode;

  Role(int wireCode) {
    this.wireCode = wireCode;
  }
}
