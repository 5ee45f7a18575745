package io.jointly.transport.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a TLS peer only if (1) its certificate chain validates (PKIX) to one of the configured
 * trust roots and (2) its leaf certificate names one of the expected parties (subject CN or SAN
 * {@code dNSName}, see {@link CertificateIdentities}). Both checks run inside the TLS handshake, so
 * a refused peer never gets to send an application frame.
 *
 * <p>Host names play no part: a party is identified by its certificate, not by the address it is
 * reached at (the endpoint identification algorithm of the engine is deliberately not applied).
 *
 * <p>Thread-safe.
 */
public final class PartyTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(PartyTrustManager.class);

  private final X509TrustManager pkix;
  private final Set<String> expectedParties;
  private volatile String lastRejection;
  private volatile List<X509Certificate> lastAccepted = List.of();

  private PartyTrustManager(X509TrustManager pkix, Set<String> expectedParties) {
    this.pkix = pkix;
    this.expectedParties = Set.copyOf(expectedParties);
  }

  /** A trust manager for peers named in {@code expectedParties}, certified by {@code roots}. */
  public static PartyTrustManager create(List<X509Certificate> roots, Set<String> expectedParties) {
    Objects.requireNonNull(roots);
    if (roots.isEmpty() || expectedParties.isEmpty()) {
      throw new IllegalArgumentException("need at least one trust root and one expected party");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate root : roots) {
        store.setCertificateEntry("root-" + i++, root);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return new PartyTrustManager(x, expectedParties);
        }
      }
      throw new IllegalStateException("no X509 trust manager available");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot initialise PKIX trust manager", e);
    }
  }

  /** Why the most recent peer was refused, or {@code null}; for error messages. */
  public String lastRejection() {
    return lastRejection;
  }

  /**
   * The chain of the peer this trust manager accepted last (leaf first), or empty. A connecting
   * party's trust manager serves one connection to one expected peer.
   */
  public List<X509Certificate> lastAccepted() {
    return lastAccepted;
  }

  /** The parties this trust manager accepts. */
  public Set<String> expectedParties() {
    return expectedParties;
  }

  private void check(X509Certificate[] chain, String authType, boolean peerIsClient)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw reject("the peer presented no certificate");
    }
    try {
      if (peerIsClient) {
        pkix.checkClientTrusted(chain, authType);
      } else {
        pkix.checkServerTrusted(chain, authType);
      }
    } catch (CertificateException e) {
      CertificateException r =
          reject("the peer's certificate does not chain to the configured trust root");
      r.initCause(e);
      throw r;
    }
    Set<String> names = CertificateIdentities.of(chain[0]);
    if (Collections.disjoint(names, expectedParties)) {
      throw reject(
          "the peer's certificate names " + names + ", not the expected party " + expectedParties);
    }
    lastAccepted = List.of(chain);
  }

  private CertificateException reject(String why) {
    lastRejection = why;
    LOG.warn("refused TLS peer: {}", why);
    return new CertificateException(why);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
