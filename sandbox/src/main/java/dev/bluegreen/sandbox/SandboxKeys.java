package dev.bluegreen.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Collection;
import java.util.Set;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The key pair the deploy-agent logs in to the sandbox droplets with: an ECDSA P-256 private key in PEM
 * ({@code -----BEGIN EC PRIVATE KEY-----}, mode 600, which sshj's {@code SSHClient.loadKeys(path)} reads) and
 * its public key in OpenSSH format next to it ({@code .pub}). Kept across restarts: an existing pair is reused.
 */
public final class SandboxKeys {

    private static final String PRIVATE_KEY_FILE = "id_ecdsa";
    private static final String COMMENT = "bluegreen-sandbox";

    private final Path privateKeyFile;
    private final KeyPair keyPair;

    private SandboxKeys(Path privateKeyFile, KeyPair keyPair) {
        this.privateKeyFile = privateKeyFile;
        this.keyPair = keyPair;
    }

    /** Reads the pair in {@code folder}, or makes one there. */
    public static SandboxKeys loadOrGenerate(Path folder) {
        Path privateKeyFile = folder.toAbsolutePath().normalize().resolve(PRIVATE_KEY_FILE);
        try {
            Files.createDirectories(privateKeyFile.getParent());
            KeyPair keyPair = Files.exists(privateKeyFile) ? read(privateKeyFile) : generate(privateKeyFile);
            Files.writeString(publicKeyFile(privateKeyFile), PublicKeyEntry.toString(keyPair.getPublic()) + " "
                    + COMMENT + "\n");
            return new SandboxKeys(privateKeyFile, keyPair);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the sandbox's SSH client key in " + folder, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make an ECDSA P-256 key pair", e);
        }
    }

    private static KeyPair generate(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(partial); PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject("EC PRIVATE KEY", sec1(keyPair).getEncoded()));
        }
        Files.move(partial, file);
        return keyPair;
    }

    /**
     * The key in SEC 1 form with its curve and public key inside, as OpenSSL and ssh-keygen write it; the JDK's own
     * encoding leaves both out, and OpenSSH will not load a key without them.
     */
    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1(KeyPair keyPair) {
        ECPrivateKey privateKey = (ECPrivateKey) keyPair.getPrivate();
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        return new org.bouncycastle.asn1.sec.ECPrivateKey(256, privateKey.getS(), publicKey.getPublicKeyData(),
                SECObjectIdentifiers.secp256r1);
    }

    private static KeyPair read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file); PEMParser pem = new PEMParser(in)) {
            Object parsed = pem.readObject();
            if (!(parsed instanceof PEMKeyPair pair)) {
                throw new IOException(file + " does not hold an unencrypted PEM key pair; delete it to make a new one");
            }
            return new JcaPEMKeyConverter().getKeyPair(pair);
        }
    }

    private static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    /** The private key file to give the deploy-agent. */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** The public key, OpenSSH format, one line. */
    public Path publicKeyFile() {
        return publicKeyFile(privateKeyFile);
    }

    /** The key the droplets authorize. */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** Writes an OpenSSH {@code known_hosts} file holding the given lines, replacing the file. */
    public static Path writeKnownHosts(Path file, Collection<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
            Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-r--r--")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "SandboxKeys[" + privateKeyFile + "]";
    }
}
