package dev.mailroom.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's certificate chain (leaf first) and private key, the material of its {@link SSLContext}:
 * either read from PEM files an operator configured, or a self-signed certificate that Mailroom
 * makes on first use and keeps in its data directory.
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key) {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** A self-signed certificate this close to its end is replaced at start, before clients see it expire. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Pattern FILE_STEM = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    public TlsMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the server's certificate");
        }
        if (!matches(key, chain.getFirst())) {
            throw new IllegalArgumentException("the private key does not belong to the certificate of " + chain.getFirst().getSubjectX500Principal());
        }
    }

    /**
     * Reads a certificate chain (PEM, the server's certificate first) and its private key (PEM,
     * unencrypted PKCS#8 "BEGIN PRIVATE KEY", RSA or EC).
     */
    public static TlsMaterial fromPem(Path certificateChain, Path privateKey) throws IOException {
        return new TlsMaterial(readCertificates(certificateChain), readKey(privateKey));
    }

    /**
     * The self-signed certificate for {@code hostname} kept in {@code dir} as {@code name-cert.pem}
     * and {@code name-key.pem} (owner-only): made on first use, and made again when it names
     * another host, is within 30 days of its end, or does not match its key.
     */
    public static TlsMaterial selfSigned(Path dir, String name, String hostname, Clock clock) throws IOException {
        if (!FILE_STEM.matcher(name).matches()) {
            throw new IllegalArgumentException("a TLS file name is lower-case letters, digits and '-', got '" + name + "'");
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("'" + hostname + "' is not a host name for a certificate");
        }
        var certificateFile = dir.resolve(name + "-cert.pem");
        var keyFile = dir.resolve(name + "-key.pem");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            try {
                var existing = fromPem(certificateFile, keyFile);
                var leaf = existing.chain().getFirst();
                if (!names(leaf, hostname)) {
                    throw new IllegalArgumentException("it is not for " + hostname);
                }
                var now = clock.instant();
                if (leaf.getNotBefore().toInstant().isAfter(now) || leaf.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
                    throw new IllegalArgumentException("it is valid from " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
                }
                return existing;
            } catch (IllegalArgumentException | CertificateException e) {
                LOG.info("replacing the self-signed certificate {}: {}", certificateFile, e.getMessage());
            }
        }
        try {
            var key = SelfSignedCertificate.generateKey();
            var certificate = SelfSignedCertificate.issue(key, hostname, clock.instant());
            Files.createDirectories(dir);
            // the key first: a crash between the two moves leaves a pair that does not match, which the next start replaces
            write(keyFile, pem("PRIVATE KEY", key.getPrivate().getEncoded()), "rw-------");
            write(certificateFile, pem("CERTIFICATE", certificate.getEncoded()), "rw-r--r--");
            LOG.info("made a self-signed TLS certificate for {} in {}", hostname, certificateFile);
            return new TlsMaterial(List.of(certificate), key.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate", e);
        }
    }

    /** A server-side TLS context presenting this chain. */
    public SSLContext sslContext() {
        try {
            // an in-memory store: its password protects nothing, but PKCS#12 wants one
            var password = "in-memory".toCharArray();
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            var context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static boolean names(X509Certificate certificate, String hostname) throws CertificateException {
        var names = certificate.getSubjectAlternativeNames();
        return names != null && names.stream().anyMatch(entry -> (Integer) entry.get(0) == 2 && hostname.equalsIgnoreCase((String) entry.get(1)));
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        var algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("TLS keys are RSA or EC, not " + key.getAlgorithm());
        };
        try {
            var probe = "does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException {
        var certificates = new ArrayList<X509Certificate>();
        try {
            var factory = CertificateFactory.getInstance("X.509");
            for (var block : blocks(file)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        for (var block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    for (var algorithm : List.of("RSA", "EC")) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
                        } catch (InvalidKeySpecException e) {
                            // not this algorithm: try the next
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    throw new IllegalArgumentException(file + " holds a private key that is neither RSA nor EC");
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        file + " holds a " + block.type() + "; convert it to unencrypted PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
                                + file.getFileName() + " -out key.pem");
                default -> {
                    // other blocks (EC PARAMETERS, certificates) are not the key
                }
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) throws IOException {
        var matcher = PEM.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        var blocks = new ArrayList<Block>();
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
        }
        return blocks;
    }

    private static String pem(String type, byte[] der) {
        var base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    /** Replaces a file in one step, created with its permissions so a key is never readable by others, even briefly. */
    private static void write(Path file, String text, String permissions) throws IOException {
        var posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        var attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
        var temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", attributes);
        try {
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
