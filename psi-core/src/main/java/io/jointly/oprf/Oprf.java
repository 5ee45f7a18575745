package io.jointly.oprf;

import io.jointly.core.Bytes;
import io.jointly.core.InputException;
import io.jointly.core.ProtocolAbortException;
import io.jointly.group.GroupScalar;
import io.jointly.group.internal.Ristretto255Group;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The oblivious pseudorandom function of RFC 9497 in OPRF mode (mode 0, §3.3.1) over {@code
 * ristretto255-SHA512} (§4.1): {@code F(skS, input) = SHA-512(I2OSP(len(input), 2) || input ||
 * I2OSP(Ne, 2) || SerializeElement(skS·HashToGroup(input)) || "Finalize")}.
 *
 * <ul>
 *   <li>{@link #blind}: the client's {@code Blind} — a random scalar {@code r} and {@code
 *       r·HashToGroup(input)}.
 *   <li>{@link #blindEvaluate}: the server's {@code BlindEvaluate} — {@code skS·blindedElement},
 *       after {@code DeserializeElement} refused anything but a canonical non-identity element.
 *   <li>{@link #finalizeOutput}: the client's {@code Finalize} — {@code r^−1·evaluatedElement}
 *       hashed with the input; {@link #finalizeAll} does a batch with a single scalar inversion.
 *   <li>{@link #evaluate}: the server's direct {@code Evaluate} of its own input (§3.3.1), which
 *       gives the same output as the three steps above; used to encode the server's set offline.
 * </ul>
 *
 * <p>Input validation as the RFC requires: an input must have at most 65,535 bytes (its length is
 * encoded in two bytes), an input that hashes to the identity is refused ({@code
 * InvalidInputError}, §3.3.1; probability about 2^−252), and a received element that is
 * non-canonical, not in the group or the identity is refused ({@code DeserializeError}, §2.1)
 * with {@link ProtocolAbortException} reason {@code INVALID_ELEMENT}.
 *
 * <p>Security (RFC 9497 §7): the server learns nothing about the client's input from the blinded
 * element (it is a uniformly random group element); the client learns {@code F(skS, input)} and
 * nothing about {@code skS}, under the one-more gap Diffie–Hellman assumption. Mode 0 is not
 * verifiable: a server that evaluates with another key makes the client compute wrong outputs
 * without noticing; protocols built on it say what that means for them.
 *
 * <p>Constant time: scalar multiplication, hashing to the group, inversion of the blind and the
 * encodings are constant-time ({@link io.jointly.group.internal.Ristretto255Group}); whether a
 * received element is valid is visible in the timing (it is public).
 *
 * <p>Immutable and thread-safe.
 */
public final class Oprf {
  /** The largest OPRF input: its length travels in two bytes. */
  public static final int MAX_INPUT_LENGTH = 0xFFFF;

  private static final byte[] FINALIZE = "Finalize".getBytes(StandardCharsets.US_ASCII);

  private final OprfSuite suite;
  private final Ristretto255Group group;

  private Oprf(OprfSuite suite) {
    this.suite = suite;
    this.group = new Ristretto255Group(suite.hashToGroupDst());
  }

  /** RFC 9497 §4.1, OPRF mode. */
  public static final Oprf RISTRETTO255_SHA512 = new Oprf(OprfSuite.RISTRETTO255_SHA512);

  /** The instance of a suite. */
  public static Oprf of(OprfSuite suite) {
    return switch (Objects.requireNonNull(suite)) {
      case RISTRETTO255_SHA512 -> RISTRETTO255_SHA512;
    };
  }

  public OprfSuite suite() {
    return suite;
  }

  /**
   * A blind and the element the client sends.
   *
   * @param blind the secret scalar, needed again by {@link #finalizeOutput}
   * @param element {@code SerializeElement(blind·HashToGroup(input))}
   */
  public record Blinded(OprfBlind blind, Bytes element) {
    public Blinded {
      Objects.requireNonNull(blind, "blind");
      Objects.requireNonNull(element, "element");
    }
  }

  /**
   * {@code Blind(input)} (RFC 9497 §3.3.1) with a fresh random blind.
   *
   * @throws InputException {@code INVALID_IDENTIFIER} if the input is too long or hashes to the
   *     identity
   */
  public Blinded blind(byte[] input, SecureRandom random) throws InputException {
    return blind(input, new OprfBlind(group.randomScalar(Objects.requireNonNull(random))));
  }

  /**
   * Fresh random blinds with their inverses computed ahead (one scalar inversion for all of them,
   * Montgomery's trick), so that {@link #finalizeOutput} of a single evaluation needs no inversion
   * of its own: for clients that finalise one evaluation at a time. Each blind must be used once.
   */
  public OprfBlind[] blinds(int count, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    GroupScalar[] scalars = new GroupScalar[count];
    for (int i = 0; i < count; i++) {
      scalars[i] = group.randomScalar(random);
    }
    GroupScalar[] inverses = Ristretto255Group.invertAll(scalars);
    OprfBlind[] out = new OprfBlind[count];
    for (int i = 0; i < count; i++) {
      out[i] = new OprfBlind(scalars[i], inverses[i]);
    }
    return out;
  }

  /**
   * {@code Blind(input)} with a given blind: one from {@link #blinds} (never used before), or for
   * the RFC's known-answer vectors, which fix it.
   *
   * @throws InputException {@code INVALID_IDENTIFIER} if the input is too long or hashes to the
   *     identity
   */
  public Blinded blind(byte[] input, OprfBlind blind) throws InputException {
    checkInput(input);
    // blindedElement = blind * HashToGroup(input); it is the identity iff the hashed input is.
    byte[] element = group.hashAndMultiply(blind.scalar(), input);
    refuseIdentityInput(element);
    return new Blinded(blind, Bytes.wrap(element));
  }

  /**
   * {@code BlindEvaluate(skS, blindedElement)} (RFC 9497 §3.3.1): {@code skS·blindedElement}.
   *
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} if the element has the wrong length, is
   *     not a canonical encoding or is the identity
   */
  public Bytes blindEvaluate(OprfKey key, Bytes blindedElement) throws ProtocolAbortException {
    checkSuite(key);
    return Bytes.wrap(group.multiply(key.scalar(), blindedElement.toByteArray()));
  }

  /**
   * {@code BlindEvaluate} over a flat array of {@code count} elements from {@code in[inOffset]},
   * writing as many evaluated elements to {@code out[outOffset]}: the server's hot path.
   *
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} at the first invalid element
   */
  public void blindEvaluate(OprfKey key, byte[] in, int inOffset, int count, byte[] out, int outOffset)
      throws ProtocolAbortException {
    checkSuite(key);
    int len = suite.elementLength();
    Objects.checkFromIndexSize(inOffset, Math.multiplyExact(count, len), in.length);
    Objects.checkFromIndexSize(outOffset, Math.multiplyExact(count, len), out.length);
    byte[] element = new byte[len];
    for (int i = 0; i < count; i++) {
      System.arraycopy(in, inOffset + i * len, element, 0, len);
      byte[] e = group.multiply(key.scalar(), element);
      System.arraycopy(e, 0, out, outOffset + i * len, len);
    }
  }

  /**
   * {@code Finalize(input, blind, evaluatedElement)} (RFC 9497 §3.3.1): {@code N =
   * blind^−1·evaluatedElement}, then {@code SHA-512(I2OSP(len(input), 2) || input || I2OSP(Ne, 2)
   * || SerializeElement(N) || "Finalize")}.
   *
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} if the evaluated element is invalid or
   *     the identity
   * @throws InputException if the input is too long
   */
  public Bytes finalizeOutput(byte[] input, OprfBlind blind, Bytes evaluatedElement)
      throws ProtocolAbortException, InputException {
    checkInput(input);
    if (blind.inverse() != null) {
      return Bytes.wrap(finish(input, blind.inverse(), evaluatedElement.toByteArray()));
    }
    GroupScalar inverse = Ristretto255Group.invert(blind.scalar());
    try {
      return Bytes.wrap(finish(input, inverse, evaluatedElement.toByteArray()));
    } finally {
      inverse.destroy();
    }
  }

  /**
   * {@code Finalize} of a batch, with one scalar inversion for all blinds (Montgomery's trick);
   * element i of each array belongs to the same evaluation.
   *
   * @throws ProtocolAbortException {@code INVALID_ELEMENT} at the first invalid evaluated element
   * @throws InputException if an input is too long
   */
  public Bytes[] finalizeAll(byte[][] inputs, OprfBlind[] blinds, Bytes[] evaluated)
      throws ProtocolAbortException, InputException {
    int n = inputs.length;
    if (blinds.length != n || evaluated.length != n) {
      throw new IllegalArgumentException("inputs, blinds and evaluated elements differ in number");
    }
    for (byte[] input : inputs) {
      checkInput(input);
    }
    GroupScalar[] scalars = new GroupScalar[n];
    for (int i = 0; i < n; i++) {
      scalars[i] = blinds[i].scalar();
    }
    GroupScalar[] inverses = Ristretto255Group.invertAll(scalars);
    try {
      Bytes[] out = new Bytes[n];
      for (int i = 0; i < n; i++) {
        out[i] = Bytes.wrap(finish(inputs[i], inverses[i], evaluated[i].toByteArray()));
      }
      return out;
    } finally {
      for (GroupScalar s : inverses) {
        s.destroy();
      }
    }
  }

  /**
   * {@code Evaluate(skS, input)} (RFC 9497 §3.3.1): the server's own evaluation, equal to the
   * output of {@link #blind}, {@link #blindEvaluate} and {@link #finalizeOutput} on the same input.
   *
   * @throws InputException {@code INVALID_IDENTIFIER} if the input is too long or hashes to the
   *     identity
   */
  public Bytes evaluate(OprfKey key, byte[] input) throws InputException {
    checkSuite(key);
    checkInput(input);
    byte[] issued = group.hashAndMultiply(key.scalar(), input);
    refuseIdentityInput(issued);
    return Bytes.wrap(hashOutput(input, issued));
  }

  /** Unblinds one evaluated element with an inverted blind and hashes the output. */
  private byte[] finish(byte[] input, GroupScalar inverse, byte[] evaluated) throws ProtocolAbortException {
    byte[] unblinded = group.multiply(inverse, evaluated);
    return hashOutput(input, unblinded);
  }

  // hashInput = I2OSP(len(input), 2) || input || I2OSP(len(element), 2) || element || "Finalize"
  private static byte[] hashOutput(byte[] input, byte[] element) {
    SHA512Digest h = new SHA512Digest();
    h.update((byte) (input.length >>> 8));
    h.update((byte) input.length);
    h.update(input, 0, input.length);
    h.update((byte) (element.length >>> 8));
    h.update((byte) element.length);
    h.update(element, 0, element.length);
    h.update(FINALIZE, 0, FINALIZE.length);
    byte[] out = new byte[h.getDigestSize()];
    h.doFinal(out, 0);
    return out;
  }

  private static void checkInput(byte[] input) throws InputException {
    Objects.requireNonNull(input, "input");
    if (input.length > MAX_INPUT_LENGTH) {
      throw new InputException(
          InputException.Kind.INVALID_IDENTIFIER,
          -1,
          "an OPRF input has at most " + MAX_INPUT_LENGTH + " bytes, this one " + input.length);
    }
  }

  // The identity's only encoding is 32 zero bytes; k·P is the identity iff P is (prime order).
  private static void refuseIdentityInput(byte[] element) throws InputException {
    int acc = 0;
    for (byte b : element) {
      acc |= b;
    }
    if (acc == 0) {
      throw new InputException(
          InputException.Kind.INVALID_IDENTIFIER,
          -1,
          "the input hashes to the identity element (RFC 9497 InvalidInputError)");
    }
  }

  private void checkSuite(OprfKey key) {
    if (Objects.requireNonNull(key, "key").suite() != suite) {
      throw new IllegalArgumentException("key of suite " + key.suite() + ", expected " + suite);
    }
  }

  @Override
  public String toString() {
    return "Oprf[" + suite + ", mode 0]";
  }
}
